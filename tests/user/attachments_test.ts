import assert from "node:assert/strict";
import { MAX_IMAGE_BYTES } from "../../kv/media/attachments.ts";
import { api, login, send, startHostSite, startServer, ticket } from "../support/helpers.ts";
import {
  concat,
  makeGif,
  makeJpeg,
  makePng,
  makeWebpExtended,
  makeWebpLossy,
} from "../support/image_fixtures.ts";

type Attachment = { id: string; type: string; width: number; height: number; size: number };
type Msg = { id: string; text: string; attachment?: Attachment };

/** Sends a multipart message; the client's file name and type are deliberately arbitrary. */
function sendImage(
  base: string,
  token: string,
  peer: string,
  bytes: Uint8Array<ArrayBuffer> | null,
  opts: { text?: string; type?: string; extra?: Record<string, string> } = {},
) {
  const form = new FormData();
  if (opts.text !== undefined) form.set("text", opts.text);
  if (bytes) form.set("image", new File([bytes], "photo.png", { type: opts.type ?? "image/png" }));
  for (const [k, v] of Object.entries(opts.extra ?? {})) form.append(k, v);
  return api<{ message: Msg; error: { code: string; field?: string } }>(
    base,
    "POST",
    `/api/v1/dialogs/${peer}/messages`,
    { token, body: form },
  );
}

async function allKeys(kv: Deno.Kv): Promise<string[]> {
  const out: string[] = [];
  for await (const e of kv.list({ prefix: [] })) out.push(JSON.stringify(e.key));
  return out;
}

const uploadKeys = (keys: string[]) =>
  keys.filter((k) => /^\["(att|att_chunk|att_pending|msg)"/.test(k));

Deno.test("attachments: upload and download round trip with exact headers", async () => {
  const s = await startServer();
  try {
    const alice = await login(s.url, "alice");
    const bob = await login(s.url, "bob");
    const png = await makePng(300, 200, true); // noise: ~180 KB, several 60 KiB parts
    assert.ok(png.length > 2 * 60 * 1024);
    const r = await sendImage(s.url, alice, "bob", png, {
      text: " look ",
      type: "application/octet-stream",
    });
    assert.equal(r.status, 201);
    const m = r.body.message;
    assert.equal(m.text, "look");
    assert.deepEqual(Object.keys(m.attachment!).sort(), ["height", "id", "size", "type", "width"]);
    assert.deepEqual({ ...m.attachment, id: "" }, {
      id: "",
      type: "image/png",
      width: 300,
      height: 200,
      size: png.length,
    });
    const keys = await allKeys(s.parley.deps.kv);
    assert.equal(keys.filter((k) => k.startsWith('["att_chunk"')).length, 3);
    assert.equal(keys.filter((k) => k.startsWith('["att_pending"')).length, 0);

    const path = `/api/v1/attachments/${m.attachment!.id}`;
    const res = await fetch(s.url + path, { headers: { authorization: `Bearer ${bob}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "image/png");
    assert.equal(res.headers.get("content-length"), String(png.length));
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("content-disposition"), "inline");
    assert.equal(res.headers.get("content-security-policy"), "default-src 'none'; sandbox");
    assert.equal(res.headers.get("cache-control"), "private, max-age=31536000, immutable");
    const etag = res.headers.get("etag")!;
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), png);

    // The sender too, through an image ticket as an <img src> would.
    const viaQuery = await fetch(`${s.url}${path}?ticket=${await ticket(s.url, alice, "images")}`);
    assert.equal(viaQuery.status, 200);
    assert.deepEqual(new Uint8Array(await viaQuery.arrayBuffer()), png);

    const again = await fetch(s.url + path, {
      headers: { authorization: `Bearer ${bob}`, "if-none-match": `W/"x", ${etag}` },
    });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get("etag"), etag);
    assert.equal(again.headers.get("cache-control"), "private, max-age=31536000, immutable");
    assert.equal(await again.text(), "");

    const hist = await api<{ messages: Msg[] }>(s.url, "GET", "/api/v1/dialogs/alice/messages", {
      token: bob,
    });
    assert.deepEqual(hist.body.messages[0].attachment, m.attachment);
    const list = await api<{ dialogs: { last_message: { has_attachment: boolean } }[] }>(
      s.url,
      "GET",
      "/api/v1/dialogs",
      { token: bob },
    );
    assert.equal(list.body.dialogs[0].last_message.has_attachment, true);
  } finally {
    await s.close();
  }
});

Deno.test("attachments: type comes from the bytes; text may be empty with an image", async () => {
  const s = await startServer();
  try {
    const alice = await login(s.url, "alice");
    const cases: [Uint8Array<ArrayBuffer>, string, number, number][] = [
      [makeGif(64, 48), "image/gif", 64, 48],
      [makeJpeg(1600, 1200), "image/jpeg", 1600, 1200],
      [makeWebpLossy(550, 368), "image/webp", 550, 368],
    ];
    for (const [bytes, type, width, height] of cases) {
      // Every file claims to be a PNG; the stored type is what the bytes are.
      const r = await sendImage(s.url, alice, "bob", bytes);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.message.text, "");
      const { id: _, ...rest } = r.body.message.attachment!;
      assert.deepEqual(rest, { type, width, height, size: bytes.length });
      const res = await fetch(`${s.url}/api/v1/attachments/${r.body.message.attachment!.id}`, {
        headers: { authorization: `Bearer ${alice}` },
      });
      assert.equal(res.headers.get("content-type"), type);
      assert.deepEqual(new Uint8Array(await res.arrayBuffer()), bytes);
    }
  } finally {
    await s.close();
  }
});

Deno.test("attachments: every bad upload is refused and stores nothing", async () => {
  const s = await startServer();
  try {
    const alice = await login(s.url, "alice");
    const enc = new TextEncoder();
    const huge = concat(await makePng(10, 10), new Uint8Array(MAX_IMAGE_BYTES));
    const cases: [Uint8Array<ArrayBuffer> | null, Record<string, string>, number, string][] = [
      [concat(enc.encode("<svg onload=alert(1)/>")), {}, 415, "unsupported_image"],
      [concat(enc.encode("<html><body>hi")), { text: "hi" }, 415, "unsupported_image"],
      [(await makePng(4, 4)).slice(0, 20), {}, 415, "unsupported_image"],
      [huge, {}, 413, "image_too_large"],
      [concat(huge, huge), {}, 413, "image_too_large"], // over the 6 MB body limit as well
      [await makePng(8001, 1), {}, 422, "image_too_wide"],
      [makeWebpExtended(10, 9000), {}, 422, "image_too_wide"],
      [await makePng(2, 2), { text: "x".repeat(4001) }, 400, "text_too_long"],
      [null, {}, 400, "empty_text"],
      [null, { image: "not a file" }, 400, "invalid_image"],
    ];
    for (const [bytes, fields, status, code] of cases) {
      const { text, ...extra } = fields;
      const r = await sendImage(s.url, alice, "bob", bytes, { text, extra });
      assert.equal(r.status, status, `${code}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, code);
      assert.equal(
        r.body.error.field,
        code === "empty_text" || code === "text_too_long" ? "text" : "image",
      );
    }
    const png = await makePng(2, 2);
    const form = new FormData();
    form.append("image", new File([png], "a.png"));
    form.append("image", new File([png], "b.png"));
    const two = await api<{ error: { code: string } }>(
      s.url,
      "POST",
      "/api/v1/dialogs/bob/messages",
      {
        token: alice,
        body: form,
      },
    );
    assert.equal(two.status, 400);
    assert.equal(two.body.error.code, "invalid_form");
    assert.deepEqual(uploadKeys(await allKeys(s.parley.deps.kv)), []);
  } finally {
    await s.close();
  }
});

Deno.test("attachments: only the two members and admins may download", async () => {
  const s = await startServer({ PARLEY_ADMIN_IDS: "boss" });
  try {
    const alice = await login(s.url, "alice");
    const carol = await login(s.url, "carol");
    const boss = await login(s.url, "boss");
    const r = await sendImage(s.url, alice, "bob", await makePng(5, 5));
    const path = `/api/v1/attachments/${r.body.message.attachment!.id}`;
    const get = (token?: string, p = path) =>
      fetch(s.url + p, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    const stranger = await get(carol);
    assert.equal(stranger.status, 404);
    assert.deepEqual((await stranger.json()).error.code, "not_found");
    const anonymous = await get();
    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();
    const admin = await get(boss);
    assert.equal(admin.status, 200);
    assert.equal(admin.headers.get("content-type"), "image/png");
    await admin.body?.cancel();
    for (const p of ["/api/v1/attachments/01ARZ3NDEKTSV4RRFFQ69G5FAV", "/api/v1/attachments/x"]) {
      const res = await get(alice, p);
      assert.equal(res.status, 404);
      await res.body?.cancel();
    }
  } finally {
    await s.close();
  }
});

Deno.test("attachments: message text or extra fields can never forge an attachment", async () => {
  const s = await startServer();
  try {
    const alice = await login(s.url, "alice");
    const carol = await login(s.url, "carol");
    const real = (await sendImage(s.url, alice, "bob", await makePng(5, 5))).body.message;
    const marker = `[img]/api/v1/attachments/${real.attachment!.id}[/img]`;
    // JSON with an attachment object, copying the real one.
    const r = await api<{ message: Msg }>(s.url, "POST", "/api/v1/dialogs/dave/messages", {
      token: carol,
      json: { text: marker, attachment: real.attachment, image: "x" },
    });
    assert.equal(r.status, 201);
    assert.equal(r.body.message.text, marker);
    assert.equal("attachment" in r.body.message, false);
    // Multipart with a text field that looks like an attachment and no file.
    const f = await sendImage(s.url, carol, "dave", null, {
      text: JSON.stringify(real.attachment),
      extra: { attachment: JSON.stringify(real.attachment) },
    });
    assert.equal(f.status, 201);
    assert.equal("attachment" in f.body.message, false);
    const dave = await login(s.url, "dave");
    const hist = await api<{ messages: Msg[] }>(s.url, "GET", "/api/v1/dialogs/carol/messages", {
      token: dave,
    });
    assert.deepEqual(hist.body.messages.map((m) => "attachment" in m), [false, false]);
    // Quoting the id gives the quoting users no access to the image.
    for (const token of [carol, dave]) {
      const res = await fetch(`${s.url}/api/v1/attachments/${real.attachment!.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 404);
      await res.body?.cancel();
    }
  } finally {
    await s.close();
  }
});

Deno.test("attachments: a send refused after the parts were staged leaves no keys", async () => {
  // The host says alice may read but not send; her image is staged while that is checked.
  const host = startHostSite({
    alice: { user_id: "alice", name: "Alice", login: "alice", error: "Pay to write" },
    bob: { user_id: "bob", name: "Bob", login: "bob" },
  }, {});
  const s = await startServer({ PARLEY_USERS_INFO_URL: host.infoUrl, PARLEY_USER_CACHE_TTL: "0" });
  try {
    const alice = await login(s.url, "alice");
    await login(s.url, "bob");
    const refused = await api<{ error: { code: string } }>(
      s.url,
      "POST",
      "/api/v1/dialogs/bob/messages",
      {
        token: alice,
        json: { text: "hi" },
      },
    );
    assert.equal(refused.body.error.code, "read_only");
    const before = await allKeys(s.parley.deps.kv);
    const r = await sendImage(s.url, alice, "bob", await makePng(400, 300, true), { text: "x" });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, "read_only");
    assert.deepEqual(await allKeys(s.parley.deps.kv), before);
    assert.deepEqual(uploadKeys(before), []);
    // Bob's sends still work and the next image goes through whole.
    const bob = await login(s.url, "bob");
    await send(s.url, bob, "alice", "hello");
  } finally {
    await s.close();
    await host.close();
  }
});
