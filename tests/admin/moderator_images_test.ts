/**
 * A moderator and the images of a complaint's context: opening the complaint lets them see (and
 * get the preview of) exactly the images of the messages it shows them; every other image, and
 * every image before they open it, stays 403 `moderator_not_allowed`.
 */
import assert from "node:assert/strict";
import { createComplaint } from "../../kv/moderation/complaints.ts";
import { GRANT_MS, hasImageGrant } from "../../kv/moderation/image_grants.ts";
import { api, login, send } from "../support/helpers.ts";
import { makePng } from "../support/image_fixtures.ts";
import { startManaged } from "../support/manage_helpers.ts";

type Sent = { message: { id: string; attachment: { id: string } } };
type Err = { error: { code: string } };

async function sendImage(base: string, token: string, peer: string, w: number) {
  const f = new FormData();
  f.set("image", new File([await makePng(w, 30)], "a.png", { type: "image/png" }));
  f.set("thumb", new File([await makePng(w, 30)], "t.png", { type: "image/png" }));
  const r = await api<Sent>(base, "POST", `/api/v1/dialogs/${peer}/messages`, { token, body: f });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.message;
}

Deno.test("a moderator sees exactly the images of the complaint context shown to them, 403 for any other", async () => {
  const s = await startManaged({ PARLEY_ADMIN_IDS: "boss", PARLEY_MODERATOR_IDS: "mod,mod2" });
  try {
    const kv = s.parley.deps.kv;
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    const mod = await login(s.url, "mod");
    const mod2 = await login(s.url, "mod2");
    const far = await sendImage(s.url, a, "b", 41); // outside a context of 1 around
    await send(s.url, b, "a", "filler");
    const near = await sendImage(s.url, a, "b", 42); // right before the reported one
    const reported = await send(s.url, a, "b", "pay me first");
    await send(s.url, b, "a", "no");
    const elsewhere = await sendImage(s.url, a, "c", 43); // another dialog
    const complaint = await createComplaint(kv, {
      reporter: "b",
      target: "a",
      message_id: reported.id,
      reason: "scam",
      text: "",
    });
    const image = (token: string, att: { id: string }, size = "") =>
      api<Err>(
        s.url,
        "GET",
        `/api/v1/admin/attachments/${att.id}${size && `?size=${size}`}`,
        { token },
      );

    // Before the complaint is opened: no image.
    assert.equal((await image(mod, near.attachment)).status, 403);
    assert.equal((await image(mod, near.attachment)).body.error.code, "moderator_not_allowed");

    const view = await api<{ context: { id: string }[] }>(
      s.url,
      "GET",
      `/api/v1/admin/complaints/${complaint.id}?around=1`,
      { token: mod },
    );
    assert.equal(view.status, 200);
    assert.deepEqual(view.body.context.map((m) => m.id).includes(near.id), true);
    assert.deepEqual(view.body.context.map((m) => m.id).includes(far.id), false);

    const shown = await image(mod, near.attachment);
    assert.equal(shown.status, 200);
    assert.equal(shown.headers.get("content-type"), "image/png");
    assert.equal((await image(mod, near.attachment, "thumb")).status, 200);
    // Not shown to them: the same dialog outside the window, another dialog, an unknown id.
    for (
      const att of [far.attachment, elsewhere.attachment, { id: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }]
    ) {
      const r = await image(mod, att);
      assert.equal(r.status, 403, att.id);
      assert.equal(r.body.error.code, "moderator_not_allowed");
      assert.equal((await image(mod, att, "thumb")).status, 403);
    }
    // The grant is the viewer's own: a colleague who did not open the complaint gets 403.
    assert.equal((await image(mod2, near.attachment)).status, 403);
    // Short-lived: past GRANT_MS it no longer counts (expireIn alone is not exact).
    assert.equal(await hasImageGrant(kv, "mod", near.attachment.id), true);
    assert.equal(
      await hasImageGrant(kv, "mod", near.attachment.id, Date.now() + GRANT_MS + 1000),
      false,
    );
    // Admins still open any image without opening anything first.
    const boss = await login(s.url, "boss");
    assert.equal((await image(boss, elsewhere.attachment)).status, 200);
  } finally {
    await s.close();
  }
});
