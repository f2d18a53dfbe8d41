import assert from "node:assert/strict";
import { libreTranslator } from "../../services/content/translate/libretranslate.ts";
import { TranslateError } from "../../services/content/translate/translator.ts";
import { yandexTranslator } from "../../services/content/translate/yandex.ts";
import { api, login, send, startServer } from "../support/helpers.ts";
import { makePng } from "../support/image_fixtures.ts";
import { type FakeProvider, startFakeLibre, startFakeYandex } from "../support/translate_fakes.ts";

const signal = () => AbortSignal.timeout(2000);

async function withFake(start: () => FakeProvider, fn: (f: FakeProvider) => Promise<void>) {
  const fake = start();
  try {
    await fn(fake);
  } finally {
    await fake.close();
  }
}

Deno.test("yandex adapter: sends the documented request and reads the answer", async () => {
  await withFake(startFakeYandex, async (fake) => {
    const t = yandexTranslator({ apiKey: "AQVN-key", folderId: "b1g-folder", url: fake.url + "/" });
    assert.deepEqual(await t.translate("Привет, мир", "en", signal()), {
      text: "[en] Привет, мир",
      detected: "ru",
    });
    assert.deepEqual(fake.seen, [{
      method: "POST",
      path: "/translate/v2/translate",
      authorization: "Api-Key AQVN-key",
      contentType: "application/json",
      body: {
        folderId: "b1g-folder",
        texts: ["Привет, мир"],
        targetLanguageCode: "en",
        format: "PLAIN_TEXT",
      },
    }]);
    // Without a folder id (service-account keys), the field is left out.
    await yandexTranslator({ apiKey: "k", url: fake.url }).translate("a", "de", signal());
    assert.deepEqual(fake.seen[1].body, {
      texts: ["a"],
      targetLanguageCode: "de",
      format: "PLAIN_TEXT",
    });
  });
});

Deno.test("yandex adapter: error answers, non-JSON and timeouts become TranslateError", async () => {
  await withFake(startFakeYandex, async (fake) => {
    const t = yandexTranslator({ apiKey: "bad", url: fake.url });
    const expect: [FakeProvider["mode"], RegExp][] = [
      ["auth_error", /^yandex: answered 401: Unknown api key 'AQVN\*\*\*'$/],
      ["bad_request", /^yandex: answered 400: unsupported target_language_code: aa$/],
      ["server_error", /^yandex: answered 500: Internal error$/],
      ["not_json", /^yandex: answered 502 with a body that is not JSON$/],
    ];
    for (const [mode, message] of expect) {
      fake.mode = mode;
      await assert.rejects(t.translate("x", "en", signal()), (e) => {
        assert.ok(e instanceof TranslateError);
        assert.match(e.message, message);
        return true;
      });
    }
    fake.mode = "hang";
    await assert.rejects(
      t.translate("x", "en", AbortSignal.timeout(100)),
      /^Error: yandex: timed out$/,
    );
  });
});

Deno.test("libretranslate adapter: sends the documented request, with and without a key", async () => {
  await withFake(startFakeLibre, async (fake) => {
    const keyed = libreTranslator({ url: fake.url, apiKey: "lt-key" });
    assert.deepEqual(await keyed.translate("Как дела?", "es", signal()), {
      text: "[es] Как дела?",
      detected: "ru",
    });
    await libreTranslator({ url: fake.url }).translate("hi", "fr", signal());
    assert.deepEqual(fake.seen, [
      {
        method: "POST",
        path: "/translate",
        authorization: null,
        contentType: "application/json",
        body: { q: "Как дела?", source: "auto", target: "es", format: "text", api_key: "lt-key" },
      },
      {
        method: "POST",
        path: "/translate",
        authorization: null,
        contentType: "application/json",
        body: { q: "hi", source: "auto", target: "fr", format: "text" },
      },
    ]);
  });
});

Deno.test("libretranslate adapter: {error} answers and an unreachable server become TranslateError", async () => {
  await withFake(startFakeLibre, async (fake) => {
    const t = libreTranslator({ url: fake.url });
    const expect: [FakeProvider["mode"], string][] = [
      ["auth_error", "libretranslate: answered 403: Invalid API key"],
      ["bad_request", "libretranslate: answered 400: Invalid request: missing q parameter"],
      ["server_error", "libretranslate: answered 500: Cannot translate text: model not loaded"],
    ];
    for (const [mode, message] of expect) {
      fake.mode = mode;
      await assert.rejects(t.translate("x", "en", signal()), { name: "Error", message });
    }
  });
  const gone = libreTranslator({ url: "http://127.0.0.1:9" });
  await assert.rejects(gone.translate("x", "en", signal()), (e) => {
    assert.ok(e instanceof TranslateError);
    assert.match(e.message, /^libretranslate: unreachable/);
    return true;
  });
});

type Out = {
  text: string;
  lang: string;
  provider: string;
  error: { code: string; field?: string };
};

function translate(base: string, token: string, id: string, lang: unknown) {
  return api<Out>(base, "POST", `/api/v1/messages/${id}/translate`, { token, json: { lang } });
}

Deno.test("translate API via Yandex: members only, cached per message and language", async () => {
  await withFake(startFakeYandex, async (fake) => {
    const s = await startServer({
      PARLEY_TRANSLATE_PROVIDER: "yandex",
      PARLEY_YANDEX_API_KEY: "AQVN-key",
      PARLEY_YANDEX_FOLDER_ID: "b1g",
      PARLEY_TRANSLATE_URL: fake.url,
    });
    try {
      const alice = await login(s.url, "alice");
      const bob = await login(s.url, "bob");
      const carol = await login(s.url, "carol");
      const m = await send(s.url, alice, "bob", "Привет");
      const r = await translate(s.url, bob, m.id, "EN");
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { text: "[en] Привет", lang: "en", provider: "yandex" });
      assert.equal(fake.seen.length, 1);
      assert.equal(fake.seen[0].authorization, "Api-Key AQVN-key");
      // Cache hit: same answer, the provider is not asked again, even by the other member.
      assert.deepEqual((await translate(s.url, alice, m.id, "en")).body, r.body);
      assert.equal(fake.seen.length, 1);
      assert.deepEqual((await translate(s.url, bob, m.id, "de")).body.text, "[de] Привет");
      assert.equal(fake.seen.length, 2);

      const refused: [string, string, unknown, number, string][] = [
        [carol, m.id, "en", 404, "not_found"],
        [bob, "01ARZ3NDEKTSV4RRFFQ69G5FAV", "en", 404, "not_found"],
        [bob, m.id, "xx", 400, "invalid_lang"],
        [bob, m.id, "english", 400, "invalid_lang"],
        [bob, m.id, 7, 400, "invalid_lang"],
      ];
      for (const [token, id, lang, status, code] of refused) {
        const x = await translate(s.url, token, id, lang);
        assert.equal(x.status, status, JSON.stringify([id, lang]));
        assert.equal(x.body.error.code, code);
      }
      assert.equal(fake.seen.length, 2);
      const form = new FormData();
      form.set("image", new File([await makePng(2, 2)], "p.png"));
      const pic = await api<{ message: { id: string } }>(
        s.url,
        "POST",
        "/api/v1/dialogs/bob/messages",
        { token: alice, body: form },
      );
      const imageOnly = await translate(s.url, bob, pic.body.message.id, "en");
      assert.equal(imageOnly.status, 400);
      assert.equal(imageOnly.body.error.code, "nothing_to_translate");
      assert.equal(fake.seen.length, 2);

      const features = await api<Record<string, unknown>>(s.url, "GET", "/api/v1/features");
      assert.equal(features.body.translate, true);
      assert.ok((features.body.languages as string[]).includes("ru"));
    } finally {
      await s.close();
    }
  });
});

Deno.test("translate API: provider errors and timeouts are 502, messaging keeps working", async () => {
  await withFake(startFakeLibre, async (fake) => {
    const s = await startServer({
      PARLEY_TRANSLATE_PROVIDER: "libretranslate",
      PARLEY_TRANSLATE_URL: fake.url,
      PARLEY_TRANSLATE_API_KEY: "lt-key",
      PARLEY_TRANSLATE_TIMEOUT_MS: "150",
    });
    try {
      const alice = await login(s.url, "alice");
      const bob = await login(s.url, "bob");
      const m = await send(s.url, alice, "bob", "Как дела?");
      for (const mode of ["auth_error", "server_error", "not_json", "hang"] as const) {
        fake.mode = mode;
        const started = Date.now();
        const r = await translate(s.url, bob, m.id, "en");
        assert.equal(r.status, 502, mode);
        assert.equal(r.body.error.code, "translate_failed");
        assert.ok(Date.now() - started < 2000);
        await send(s.url, bob, "alice", `still here after ${mode}`);
      }
      fake.mode = "ok";
      const ok = await translate(s.url, bob, m.id, "en");
      assert.deepEqual(ok.body, { text: "[en] Как дела?", lang: "en", provider: "libretranslate" });
      assert.equal(fake.seen.at(-1)!.body.api_key, "lt-key");
    } finally {
      await s.close();
    }
  });
});

Deno.test("translate API without a provider: 503, and features say so", async () => {
  const s = await startServer();
  try {
    const alice = await login(s.url, "alice");
    const m = await send(s.url, alice, "bob", "hi");
    const r = await translate(s.url, alice, m.id, "ru");
    assert.equal(r.status, 503);
    assert.equal(r.body.error.code, "translate_disabled");
    const f = await api(s.url, "GET", "/api/v1/features");
    assert.equal(f.status, 200);
    assert.deepEqual(f.body, {
      translate: false,
      languages: [],
      max_image_bytes: 5 * 1024 * 1024,
      max_image_side: 8000,
      max_text: 4000,
      edit_window_seconds: 172800,
    });
  } finally {
    await s.close();
  }
});
