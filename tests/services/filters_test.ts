import assert from "node:assert/strict";
import { keys, pair } from "../../kv/keys.ts";
import { loadConfig } from "../../services/core/config.ts";
import { ConfigError } from "../../services/core/errors.ts";
import {
  type FilterConfig,
  filterText,
  maskForSend,
  NO_FILTERS,
} from "../../services/content/filters.ts";
import { api, AUTH_SECRET, login, SseClient, startServer } from "../support/helpers.ts";

const phones: FilterConfig = { ...NO_FILTERS, maskPhones: true };
const masked = (text: string, cfg: FilterConfig) => filterText(text, cfg).text;

Deno.test("filters: Russian phone formats are masked", () => {
  for (
    const [text, want] of [
      ["Звони +7 (912) 345-67-89 вечером", "Звони *** вечером"],
      ["8 912 345 67 89", "***"],
      ["89123456789", "***"],
      ["мой 8-800-555-35-35!", "мой ***!"],
      ["+79123456789", "***"],
      ["7 912 345-67-89", "***"],
      ["(912) 345-67-89", "***"],
      ["912 345 67 89", "***"],
      ["городской 345-67-89", "городской ***"],
      ["8 9 1 2 3 4 5 6 7 8 9", "***"],
      ["(89123456789)", "(***)"],
    ]
  ) assert.equal(masked(text, phones), want, text);
});

Deno.test("filters: international phone formats are masked", () => {
  for (
    const [text, want] of [
      ["+44 20 7946 0958", "***"],
      ["+1-202-555-0143", "***"],
      ["call 202-555-0143 now", "call *** now"],
      ["00 44 20 7946 0958", "***"],
      ["+49 30 123456", "***"],
      ["+380 44 123 4567", "***"],
    ]
  ) assert.equal(masked(text, phones), want, text);
});

Deno.test("filters: prices, years, dates, times and card-like numbers are not phones", () => {
  for (
    const text of [
      "цена 1500 руб, 2024 год",
      "в 2023-2024 годах",
      "15.01.2024 в 10:30",
      "1 500 000 руб",
      "2 000 000 000",
      "заказ 4276 1234 5678 9012",
      "ИНН 7707083893",
      "комната 12, дом 345",
      "+5 градусов",
      "v1.2.3 build 20240115",
    ]
  ) assert.equal(masked(text, phones), text, text);
});

Deno.test("filters: a phone next to other numbers is masked alone", () => {
  assert.equal(masked("цена 1500 8 912 345 67 89", phones), "цена 1500 ***");
  assert.equal(masked("89123456789 2024", phones), "*** 2024");
  assert.equal(masked("1500 руб, звоните 89123456789.", phones), "1500 руб, звоните ***.");
});

Deno.test("filters: e-mails are masked, including Cyrillic domains", () => {
  const cfg = { ...NO_FILTERS, maskEmails: true };
  assert.equal(
    masked("пиши ivan.petrov+x@mail.ru или иван@почта.рф!", cfg),
    "пиши *** или ***!",
  );
  assert.equal(masked("John.Smith@Example.COM", cfg), "***");
  // Not e-mails: a lone @, a handle, an address without a domain.
  for (const text of ["встреча @ 10", "@ivan", "ivan@localhost"]) {
    assert.equal(masked(text, cfg), text);
  }
});

Deno.test("filters: links are masked unless their host (or a subdomain) is allowed", () => {
  const cfg = {
    ...NO_FILTERS,
    maskLinks: true,
    linkAllowHosts: ["example.com", new URL("http://пример.рф").hostname],
  };
  for (
    const [text, want] of [
      ["пиши в t.me/ivan или vk.com/id1", "пиши в *** или ***"],
      ["https://evil.ru/x?y=1, ok?", "***, ok?"],
      ["www.evil.com/path.", "***."],
      ["(см. https://evil.com/a_(b))", "(см. ***)"],
      ["HTTPS://EVIL.COM", "***"],
      ["https://example.com/x", "https://example.com/x"],
      ["см. docs.example.com/a.", "см. docs.example.com/a."],
      ["https://sub.docs.example.com", "https://sub.docs.example.com"],
      ["сайт пример.рф и другой.рф", "сайт пример.рф и ***"],
      // Tricks that only look like the allowed host.
      ["https://example.com@evil.com/", "***"],
      ["https://example.com.evil.com/", "***"],
      ["https://notexample.com/", "***"],
    ]
  ) assert.equal(masked(text, cfg), want, text);
  // File names, abbreviations and versions are not links.
  for (const text of ["README.md file.txt Node.js", "т.е. и т.д.", "версия 1.2.3"]) {
    assert.equal(masked(text, cfg), text);
  }
});

Deno.test("filters: an allowed link keeps its digits; an e-mail inside it is still masked", () => {
  const cfg: FilterConfig = {
    ...NO_FILTERS,
    maskLinks: true,
    maskPhones: true,
    maskEmails: true,
    linkAllowHosts: ["example.com"],
  };
  assert.equal(
    masked("https://example.com/item/89123456789", cfg),
    "https://example.com/item/89123456789",
  );
  assert.equal(masked("https://example.com/?c=bob@evil.com", cfg), "https://example.com/?c=***");
  assert.deepEqual(filterText("bob@evil.com, 89123456789, evil.com", cfg), {
    text: "***, ***, ***",
    masked: true,
    kinds: ["link", "email", "phone"],
  });
});

Deno.test("filters: blocked words are whole words, any case, е/ё alike, * for any ending", () => {
  const cfg = { ...NO_FILTERS, words: ["дурак*", "ёж", "bad word"] };
  assert.equal(
    masked("Ты дурак, дураки, ДУРАК! Ежик ёж ЕЖ еж, bad  word, badword", cfg),
    "Ты ***, ***, ***! Ежик *** *** ***, ***, badword",
  );
  assert.deepEqual(filterText("всё хорошо", cfg), { text: "всё хорошо", masked: false, kinds: [] });
});

Deno.test("filters: maskForSend keeps the original as server-only fields only when masked", () => {
  assert.deepEqual(maskForSend("hi 89123456789", phones), {
    text: "hi ***",
    extra: { original_text: "hi 89123456789", masked: true, masked_kinds: ["phone"] },
  });
  assert.deepEqual(maskForSend("hi 2024", phones), { text: "hi 2024" });
  assert.deepEqual(maskForSend("89123456789", NO_FILTERS), { text: "89123456789" });
});

Deno.test("filters: config parses the switches and names a bad variable", () => {
  const base = { PARLEY_AUTH_SECRET: AUTH_SECRET };
  const cfg = loadConfig({
    ...base,
    PARLEY_FILTER_WORDS: " Дурак* , spam ",
    PARLEY_MASK_PHONES: "1",
    PARLEY_MASK_EMAILS: "true",
    PARLEY_MASK_LINKS: "on",
    PARLEY_LINK_ALLOW_HOSTS: "Example.com, *.пример.рф",
  });
  assert.deepEqual(cfg.filters, {
    words: ["дурак*", "spam"],
    maskPhones: true,
    maskEmails: true,
    maskLinks: true,
    linkAllowHosts: ["example.com", "xn--e1afmkfd.xn--p1ai"],
  });
  assert.deepEqual(loadConfig(base).filters, NO_FILTERS);
  for (
    const [name, value] of [
      ["PARLEY_MASK_PHONES", "maybe"],
      ["PARLEY_MASK_EMAILS", "2"],
      ["PARLEY_MASK_LINKS", "yes please"],
      ["PARLEY_LINK_ALLOW_HOSTS", "https://example.com/"],
      ["PARLEY_FILTER_WORDS", "*"],
    ]
  ) {
    assert.throws(
      () => loadConfig({ ...base, [name]: value }),
      (e: unknown) => e instanceof ConfigError && e.variable === name && e.message.startsWith(name),
    );
  }
});

Deno.test("filters over HTTP: the recipient sees masked text, the stored record keeps the original", async () => {
  const s = await startServer({
    PARLEY_MASK_PHONES: "1",
    PARLEY_MASK_EMAILS: "1",
    PARLEY_MASK_LINKS: "1",
    PARLEY_LINK_ALLOW_HOSTS: "example.com",
    PARLEY_FILTER_WORDS: "дурак",
  });
  try {
    const a = await login(s.url, "a");
    const b = await login(s.url, "b");
    const sb = await SseClient.open(s.url, b);
    try {
      const original =
        "Дурак, звони +7 (912) 345-67-89, пиши a@b.ru, t.me/a, https://shop.example.com/1";
      const want = "***, звони ***, пиши ***, ***, https://shop.example.com/1";
      const r = await api<{ message: Record<string, unknown> }>(
        s.url,
        "POST",
        "/api/v1/dialogs/b/messages",
        { token: a, json: { text: original } },
      );
      assert.equal(r.status, 201);
      assert.equal(r.body.message.text, want);
      const id = r.body.message.id as string;
      const noLeak = (m: Record<string, unknown>) => {
        assert.equal(m.text, want);
        for (const k of ["original_text", "masked", "masked_kinds"]) assert.ok(!(k in m), k);
      };
      noLeak(r.body.message);
      noLeak((await sb.waitFor((e) => e.event === "message")).data as Record<string, unknown>);
      const hist = await api<{ messages: Record<string, unknown>[] }>(
        s.url,
        "GET",
        "/api/v1/dialogs/a/messages",
        { token: b },
      );
      noLeak(hist.body.messages[0]);
      const list = await api<{ dialogs: { last_message: { text: string } }[] }>(
        s.url,
        "GET",
        "/api/v1/dialogs",
        { token: b },
      );
      assert.equal(list.body.dialogs[0].last_message.text, want);
      // The admin's view is the stored record: original and the fact it was masked.
      const stored = await s.parley.deps.kv.get<Record<string, unknown>>(
        keys.message(pair("a", "b"), id),
      );
      assert.equal(stored.value!.text, want);
      assert.equal(stored.value!.original_text, original);
      assert.equal(stored.value!.masked, true);
      assert.deepEqual(stored.value!.masked_kinds, ["link", "email", "phone", "word"]);

      // Clean text stores no extra fields.
      const clean = await api<{ message: { id: string } }>(
        s.url,
        "POST",
        "/api/v1/dialogs/b/messages",
        { token: a, json: { text: "цена 1500 руб до 2024 года" } },
      );
      const cleanStored = await s.parley.deps.kv.get<Record<string, unknown>>(
        keys.message(pair("a", "b"), clean.body.message.id),
      );
      assert.equal(cleanStored.value!.text, "цена 1500 руб до 2024 года");
      assert.ok(!("original_text" in cleanStored.value!));
    } finally {
      await sb.close();
    }
  } finally {
    await s.close();
  }
});
