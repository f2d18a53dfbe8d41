/**
 * A Star.Comet-Chat database the way the original's PHP filled it, generated: messages stored
 * through htmlspecialchars (ENT_QUOTES) with `[[img=…]]` prefixes for images saved in chatFiles/,
 * Cyrillic text, read_time 0 for unread, relations (0 contact, 1 favourite, 2 blocked), abuse
 * rows, cached translations, and a few rows a real site has that an import must survive (a
 * missing image, a file that is not an image, a self-message, an orphan translation, a repeated
 * complaint). Seeded, so every run makes the same data. Returns the rows, for the expectations.
 */
import type mysql from "mysql2/promise";
import type {
  AbuseRow,
  MessageRow,
  RelationRow,
  UserRow,
} from "../../services/migration/reader.ts";
import { makeJpeg, makePng } from "./image_fixtures.ts";

export interface GeneratedData {
  users: UserRow[];
  messages: MessageRow[];
  relations: RelationRow[];
  abuse: AbuseRow[];
  translations: { id: number; message_id: number; language: string; text: string }[];
  /** Image files written to chatFiles/, by name, and the names that are missing or broken. */
  images: Map<string, Uint8Array>;
  /** What each message row says before the original escaped it, and the image it names. */
  plain: Map<number, { text: string; image: string | null }>;
  missingImage: string;
  brokenImage: string;
}

/** A small seeded PRNG (mulberry32): the same data every run. */
export function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** PHP's htmlspecialchars($s) with ENT_QUOTES, which the original applied before storing. */
export function htmlspecialchars(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/'/g, "&#039;")
    .replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const PHRASES = [
  "Привет! Как дела?",
  "Всё хорошо, спасибо :)",
  'Смотри: <b>жирный</b> & "кавычки" — это не HTML',
  "Tom & Jerry's <script>alert(1)</script>",
  "Я написал &amp; буквально",
  "Встречаемся в 18:00 у «Пушкинской»",
  "ok",
  "Ёлки-палки, ещё раз: ё Ё й Й",
  "5 > 3 && 2 < 4",
  "Спокойной ночи",
];

export interface GenerateOptions {
  users: number;
  dialogs: number;
  messages: number;
  /** Every how many messages one carries an image (0: none). */
  imageEvery: number;
  /** First message time (Unix seconds). */
  start: number;
}

/** Makes the rows and the chatFiles/ images (written to `filesDir`). */
export async function generate(opts: GenerateOptions, filesDir: string): Promise<GeneratedData> {
  const rnd = prng(12);
  const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)];
  const users: UserRow[] = [];
  for (let id = 1; id <= opts.users; id++) {
    // Some users never got a row (the original added one at a first message only).
    if (id % 9 === 0) continue;
    users.push({
      id,
      login: id % 2 ? `user${id}` : `Юзер_${id}`,
      // 4: a relative path (kept for the original's prefix); 5: not an avatar at all (dropped).
      avatar_url: id === 4
        ? "img/avatar4.png"
        : id === 5
        ? "javascript:alert(1)"
        : `https://site.example/avatars/${id}.png`,
      error: "",
    });
  }
  // Dialogs 0 and 1 always exist, between users 2-3 and 5-2, for the targeted checks.
  const pairs: [number, number][] = [[2, 3], [5, 2]];
  const seen = new Set<string>(["2-3", "2-5"]);
  while (pairs.length < opts.dialogs) {
    const a = 1 + Math.floor(rnd() * opts.users);
    const b = 1 + Math.floor(rnd() * opts.users);
    if (a === b || seen.has(`${Math.min(a, b)}-${Math.max(a, b)}`)) continue;
    seen.add(`${Math.min(a, b)}-${Math.max(a, b)}`);
    pairs.push([a, b]);
  }
  const images = new Map<string, Uint8Array>();
  const messages: MessageRow[] = [];
  const plain = new Map<number, { text: string; image: string | null }>();
  let time = opts.start;
  for (let id = 1; id <= opts.messages; id++) {
    // Bursts: often several messages in one second (order then comes from the row id).
    time += rnd() < 0.3 ? 0 : 1 + Math.floor(rnd() * 600);
    const [a, b] = id <= 40 ? pairs[id % 2] : pick(pairs);
    const [from, to] = rnd() < 0.5 ? [a, b] : [b, a];
    const said = pick(PHRASES) + (rnd() < 0.2 ? ` #${id}` : "");
    let text = htmlspecialchars(said);
    plain.set(id, { text: said, image: null });
    if (opts.imageEvery && id % opts.imageEvery === 0) {
      const name = `${from}_${to}_${time * 1000 + (id % 1000)}.${id % 2 ? "png" : "jpeg"}`;
      images.set(name, id % 2 ? await makePng(4 + (id % 5), 3) : makeJpeg(16, 9));
      const withText = rnd() < 0.5;
      text = `[[img=${name}]]${withText ? text : ""}`;
      plain.set(id, { text: withText ? said : "", image: name });
    }
    messages.push({ id, from_user_id: from, to_user_id: to, time, read_time: 0, message: text });
  }
  // Read state as markAsReadMessageArray left it: per direction, all but the newest few read.
  const byDirection = new Map<string, MessageRow[]>();
  for (const m of messages) {
    const k = `${m.from_user_id}>${m.to_user_id}`;
    if (!byDirection.has(k)) byDirection.set(k, []);
    byDirection.get(k)!.push(m);
  }
  for (const list of byDirection.values()) {
    const unread = Math.floor(rnd() * 4);
    list.slice(0, Math.max(0, list.length - unread)).forEach((m) => {
      m.read_time = m.time + 5 + Math.floor(rnd() * 3600);
    });
  }
  const missingImage = `2_3_${opts.start}000.png`;
  const brokenImage = `3_2_${opts.start}001.png`;
  const tail = messages.length;
  messages.push(
    {
      id: tail + 1,
      from_user_id: 2,
      to_user_id: 3,
      time,
      read_time: 0,
      message: `[[img=${missingImage}]]Фото`,
    },
    {
      id: tail + 2,
      from_user_id: 3,
      to_user_id: 2,
      time,
      read_time: 0,
      message: `[[img=${brokenImage}]]`,
    },
    { id: tail + 3, from_user_id: 7, to_user_id: 7, time, read_time: 0, message: "note to self" },
  );
  plain.set(tail + 1, { text: "Фото", image: null });
  plain.set(tail + 2, { text: "", image: null });
  images.set(brokenImage, new TextEncoder().encode("<?php echo 'not an image'; ?>"));
  for (const [name, bytes] of images) await Deno.writeFile(`${filesDir}/${name}`, bytes);
  images.delete(brokenImage);

  const relations: RelationRow[] = [];
  for (const [a, b] of pairs) {
    relations.push({ user_id: a, to_user_id: b, type: 0 }, { user_id: b, to_user_id: a, type: 0 });
  }
  // User 2: favourite 3, blocks 5. Some others at random.
  for (const r of relations) {
    if (r.user_id === 2 && r.to_user_id === 3) r.type = 1;
    else if (r.user_id === 2 && r.to_user_id === 5) r.type = 2;
    else if (r.user_id !== 2 && rnd() < 0.1) r.type = rnd() < 0.5 ? 1 : 2;
  }
  const abuse: AbuseRow[] = [
    { id: 1, user_id_from: 3, user_id_to: 2, time: opts.start + 100 },
    { id: 2, user_id_from: 2, user_id_to: 5, time: time - 50 },
    { id: 3, user_id_from: 3, user_id_to: 2, time: time - 10 },
  ];
  const translations = [
    { id: 1, message_id: 1, language: "en", text: "Hello &amp; welcome" },
    { id: 2, message_id: 2, language: "en", text: "All good, thanks" },
    { id: 3, message_id: 999_999, language: "en", text: "orphan" },
  ];
  return {
    users,
    messages,
    relations,
    abuse,
    translations,
    images,
    plain,
    missingImage,
    brokenImage,
  };
}

/** Inserts rows in multi-row INSERTs of `chunk` rows. */
async function insert(
  db: mysql.Connection,
  table: string,
  rows: Record<string, unknown>[],
  chunk = 1000,
) {
  if (!rows.length) return;
  const cols = Object.keys(rows[0]);
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    await db.query(`INSERT INTO ${table} (${cols.join(", ")}) VALUES ?`, [
      part.map((r) => cols.map((c) => r[c])),
    ]);
  }
}

/** Loads generated rows into the original's tables. */
export async function load(db: mysql.Connection, d: GeneratedData): Promise<void> {
  await insert(db, "users", d.users as unknown as Record<string, unknown>[]);
  await insert(db, "messages", d.messages.map((m) => ({ ...m, userAgent: "Mozilla/5.0" })));
  await insert(db, "users_relations", d.relations as unknown as Record<string, unknown>[]);
  await insert(db, "abuse", d.abuse as unknown as Record<string, unknown>[]);
  await insert(db, "messages_translate", d.translations);
}
