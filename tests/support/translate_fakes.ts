/**
 * Small local servers speaking the real protocols of Yandex Cloud Translate v2 and LibreTranslate
 * (requests, answers and error bodies as the services document them), recording what they got.
 */

export interface Seen {
  method: string;
  path: string;
  authorization: string | null;
  contentType: string | null;
  body: Record<string, unknown>;
}

/** What the fake does with the next requests. */
export type Mode = "ok" | "auth_error" | "bad_request" | "server_error" | "hang" | "not_json";

export interface FakeProvider {
  url: string;
  seen: Seen[];
  mode: Mode;
  close(): Promise<void>;
}

function serveFake(
  answer: (seen: Seen, mode: Mode) => Response,
): FakeProvider {
  let release = () => {};
  const released = new Promise<void>((r) => (release = r));
  const fake: FakeProvider = {
    url: "",
    seen: [],
    mode: "ok",
    async close() {
      release();
      await server.shutdown();
    },
  };
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const seen: Seen = {
      method: req.method,
      path: new URL(req.url).pathname,
      authorization: req.headers.get("authorization"),
      contentType: req.headers.get("content-type"),
      body: await req.json().catch(() => ({})),
    };
    fake.seen.push(seen);
    if (fake.mode === "hang") await released;
    if (fake.mode === "not_json") return new Response("<html>Bad Gateway</html>", { status: 502 });
    return answer(seen, fake.mode);
  });
  fake.url = `http://127.0.0.1:${server.addr.port}`;
  return fake;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** The fake "translation": the target code in brackets before the text. */
export const fakeTranslation = (text: string, target: string) => `[${target}] ${text}`;

/** Yandex Cloud Translate API v2 at /translate/v2/translate; errors are gRPC-style JSON. */
export function startFakeYandex(): FakeProvider {
  return serveFake((seen, mode) => {
    if (seen.path !== "/translate/v2/translate") {
      return json({ code: 5, message: "Not Found" }, 404);
    }
    if (mode === "auth_error") {
      return json({
        code: 16,
        message: "Unknown api key 'AQVN***'",
        details: [{ "@type": "type.googleapis.com/google.rpc.RequestInfo", requestId: "r-1" }],
      }, 401);
    }
    if (mode === "bad_request") {
      return json({ code: 3, message: "unsupported target_language_code: aa", details: [] }, 400);
    }
    if (mode === "server_error") return json({ code: 13, message: "Internal error" }, 500);
    const texts = seen.body.texts as string[];
    const target = seen.body.targetLanguageCode as string;
    return json({
      translations: texts.map((t) => ({
        text: fakeTranslation(t, target),
        detectedLanguageCode: "ru",
      })),
    });
  });
}

/** LibreTranslate at /translate; errors are `{"error": "..."}` with a 4xx/5xx status. */
export function startFakeLibre(): FakeProvider {
  return serveFake((seen, mode) => {
    if (seen.path !== "/translate") return json({ error: "Not Found" }, 404);
    if (mode === "auth_error") return json({ error: "Invalid API key" }, 403);
    if (mode === "bad_request") return json({ error: "Invalid request: missing q parameter" }, 400);
    if (mode === "server_error") {
      return json({ error: "Cannot translate text: model not loaded" }, 500);
    }
    return json({
      translatedText: fakeTranslation(seen.body.q as string, seen.body.target as string),
      detectedLanguage: { confidence: 90, language: "ru" },
    });
  });
}
