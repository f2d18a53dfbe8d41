import assert from "node:assert/strict";
import { startDemo } from "../../examples/demo.ts";
import { makeHasher } from "../../examples/host_site.ts";
import { api, SseClient } from "../support/helpers.ts";

async function withDemo(fn: (d: Awaited<ReturnType<typeof startDemo>>) => Promise<void>) {
  const kvPath = await Deno.makeTempFile({ suffix: ".sqlite" });
  const demo = await startDemo({ PARLEY_KV_PATH: kvPath, DEMO_SITE_SECRET: "s3cret-for-tests" }, {
    parleyPort: 0,
    hostPort: 0,
  });
  try {
    await fn(demo);
  } finally {
    await demo.close();
    await Deno.remove(kvPath).catch(() => {});
  }
}

Deno.test("demo host site answers the original's two callbacks exactly", async () => {
  await withDemo(async (demo) => {
    // Without the secret token in the URL (or with a wrong one), both callbacks refuse.
    for (const q of ["", "?token=wrong"]) {
      for (const [path, body] of [["users-info", "users=1,2"], ["user-hash", "id=1"]]) {
        const r = await fetch(`${demo.hostUrl}/chat/${path}${q}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body,
        });
        assert.equal(r.status, 403, `${path}${q}`);
        assert.equal(await r.text(), "forbidden");
      }
    }
    const tok = `?token=${demo.callbackToken}`;
    const info = await fetch(`${demo.hostUrl}/chat/users-info${tok}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "users=1,2",
    });
    const users = await info.json();
    assert.equal(users.length, 2);
    assert.deepEqual(Object.keys(users[0]).sort(), [
      "age",
      "avatar_url",
      "city",
      "login",
      "name",
      "status",
      "user_id",
    ]);
    assert.equal(users[1].name, "Лена");
    const hash = await fetch(`${demo.hostUrl}/chat/user-hash${tok}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "id=1",
    });
    assert.equal(await hash.text(), await makeHasher("s3cret-for-tests")("1"));
    const avatar = await fetch(users[0].avatar_url);
    assert.equal(avatar.headers.get("content-type"), "image/svg+xml");
    await avatar.body?.cancel();
  });
});

Deno.test("demo: sign in through the site, the page embeds the widget, two users chat live", async () => {
  await withDemo(async (demo) => {
    const pick = await (await fetch(demo.hostUrl)).text();
    assert.match(pick, /Ёжик Сергеевич/);
    const login = await fetch(`${demo.hostUrl}/login/2`, { redirect: "manual" });
    await login.body?.cancel();
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const home = await (await fetch(`${demo.hostUrl}/home`, { headers: { cookie } })).text();
    const parleyUrl = `http://localhost:${demo.parley.server.addr.port}`;
    assert.ok(home.includes(`<script src="${parleyUrl}/widget.js"></script>`));
    const init = JSON.parse(home.match(/const init = (\{.*?\});/)![1]);
    assert.equal(init.user_id, 2);

    // The page's user_key signs in to Parley through the callback mode.
    const hasher = makeHasher("s3cret-for-tests");
    const session = async (id: string) =>
      (await api<{ token: string; user: { name: string; read_only: boolean } }>(
        parleyUrl,
        "POST",
        "/api/v1/session",
        { json: { user_id: id, user_key: await hasher(id) } },
      )).body;
    const lena = await session("2");
    assert.equal(lena.user.name, "Лена");
    const victor = await session("1");
    const stream = await SseClient.open(parleyUrl, victor.token);
    try {
      const sent = await api(parleyUrl, "POST", "/api/v1/dialogs/1/messages", {
        token: lena.token,
        json: { text: "Привет, Виктор!" },
      });
      assert.equal(sent.status, 201);
      const got = await stream.waitFor((e) => e.event === "message");
      assert.equal((got.data as { text: string }).text, "Привет, Виктор!");
    } finally {
      await stream.close();
    }
    const guest = await session("6");
    assert.equal(guest.user.read_only, true);
  });
});
