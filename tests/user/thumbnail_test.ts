/**
 * Thumbnails stored at upload (issue 15, item 11): an image may come with a `thumb` preview drawn
 * by the sender's browser; the server checks it (format, size, the image's aspect ratio), stores
 * it in the message's atomic, serves it with `?size=thumb`, and removes it with its message. A bad
 * preview refuses the send with 4xx and leaves nothing behind.
 */
import assert from "node:assert/strict";
import { keys } from "../../kv/keys.ts";
import { eraseUser } from "../../kv/privacy/erase.ts";
import { api, login, startServer } from "../support/helpers.ts";
import { makeGif, makePng } from "../support/image_fixtures.ts";

type Sent = {
  message: {
    id: string;
    attachment: { id: string; thumb?: { type: string; width: number; height: number } };
  };
};
type Err = { error: { code: string; field: string } };

function form(image: Uint8Array<ArrayBuffer>, thumb?: Uint8Array<ArrayBuffer>) {
  const f = new FormData();
  f.set("image", new File([image], "p.png", { type: "image/png" }));
  if (thumb) f.set("thumb", new File([thumb], "t.jpg", { type: "image/jpeg" }));
  return f;
}

async function keyCount(kv: Deno.Kv, prefix: Deno.KvKey) {
  let n = 0;
  for await (const _ of kv.list({ prefix })) n++;
  return n;
}

Deno.test("thumbnails: stored with the message, served with size=thumb, checked, deleted with it", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "admin" });
  try {
    const kv = s.parley.deps.kv;
    const ann = await login(s.url, "ann");
    const admin = await login(s.url, "admin");
    const image = await makePng(640, 480, true);
    const thumb = await makePng(320, 240);
    const r = await api<Sent>(s.url, "POST", "/api/v1/dialogs/bob/messages", {
      token: ann,
      body: form(image, thumb),
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const att = r.body.message.attachment;
    assert.deepEqual(att.thumb, { type: "image/png", width: 320, height: 240, size: thumb.length });
    const url = `${s.url}/api/v1/admin/attachments/${att.id}`;
    const get = (q: string) => fetch(url + q, { headers: { authorization: `Bearer ${admin}` } });
    const small = await get("?size=thumb");
    assert.equal(small.status, 200);
    assert.equal(small.headers.get("content-type"), "image/png");
    assert.deepEqual(new Uint8Array(await small.arrayBuffer()), thumb);
    const full = await get("");
    assert.deepEqual(new Uint8Array(await full.arrayBuffer()), image);

    // An image sent without a preview: size=thumb answers with the image itself.
    const plain = await api<Sent>(s.url, "POST", "/api/v1/dialogs/bob/messages", {
      token: ann,
      body: form(image),
    });
    assert.equal(plain.status, 201);
    assert.equal(plain.body.message.attachment.thumb, undefined);
    const fallback = await fetch(
      `${s.url}/api/v1/admin/attachments/${plain.body.message.attachment.id}?size=thumb`,
      { headers: { authorization: `Bearer ${admin}` } },
    );
    assert.deepEqual(new Uint8Array(await fallback.arrayBuffer()), image);

    // Bad previews: 4xx naming the field, and no message, part or marker left.
    const before = await keyCount(kv, ["att_chunk"]);
    const bad: [Uint8Array<ArrayBuffer>, number, string][] = [
      [await makePng(320, 80), 422, "invalid_thumb"], // another shape than the image
      [await makePng(480, 360), 422, "invalid_thumb"], // larger than 400 px
      [makeGif(320, 240), 422, "invalid_thumb"], // a GIF (could be animated)
      [await makePng(400, 300, true), 422, "invalid_thumb"], // over 60 KiB
      [new Uint8Array([1, 2, 3, 4]), 422, "invalid_thumb"], // no image at all
    ];
    for (const [t, status, code] of bad) {
      const b = await api<Err>(s.url, "POST", "/api/v1/dialogs/bob/messages", {
        token: ann,
        body: form(image, t),
      });
      assert.equal(b.status, status, JSON.stringify(b.body));
      assert.equal(b.body.error.code, code);
      assert.equal(b.body.error.field, "thumb");
    }
    const alone = new FormData();
    alone.set("text", "hi");
    alone.set("thumb", new File([thumb], "t.png", { type: "image/png" }));
    const lone = await api<Err>(s.url, "POST", "/api/v1/dialogs/bob/messages", {
      token: ann,
      body: alone,
    });
    assert.equal(lone.status, 400);
    assert.equal(lone.body.error.field, "thumb");
    assert.equal(await keyCount(kv, ["att_chunk"]), before);
    assert.equal(await keyCount(kv, keys.uploadsPending()), 0);
    assert.equal(await keyCount(kv, ["att_thumb"]), 1);

    // Deleting the message takes its preview too.
    const del = await api(s.url, "DELETE", `/api/v1/admin/messages/${r.body.message.id}`, {
      token: admin,
    });
    assert.equal(del.status, 200);
    assert.equal((await kv.get(keys.attachmentThumb(att.id))).value, null);

    // Erasing the sender takes the previews of their images.
    const again = await api<Sent>(s.url, "POST", "/api/v1/dialogs/bob/messages", {
      token: ann,
      body: form(image, thumb),
    });
    assert.equal(again.status, 201);
    assert.equal(await keyCount(kv, ["att_thumb"]), 1);
    await eraseUser(kv, "ann");
    assert.equal(await keyCount(kv, ["att_thumb"]), 0);
  } finally {
    await s.close({ erased: ["ann"] });
  }
});
