/**
 * Reads the original Star.Comet-Chat database (MySQL or MariaDB, schema of its database.sql)
 * through npm's mysql2, one page at a time in key order, so a table of any size streams through
 * a fixed amount of memory and a stopped import can continue after the last key it wrote. Only
 * SELECTs: a read-only database user is enough.
 */
import mysql from "mysql2/promise";

/** A table's position: the key of the last row read ([id], or [user_id, to_user_id]). */
export type Cursor = number[];

export interface MessageRow {
  id: number;
  from_user_id: number;
  to_user_id: number;
  time: number;
  read_time: number;
  message: string;
}
export interface UserRow {
  id: number;
  login: string;
  avatar_url: string;
  error: string;
}
export interface RelationRow {
  user_id: number;
  to_user_id: number;
  type: number;
}
/** A translation with the time and members of its message (null when the message is gone). */
export interface TranslationRow {
  id: number;
  message_id: number;
  language: string;
  text: string;
  time: number | null;
  message_time: number | null;
  from_user_id: number | null;
  to_user_id: number | null;
}
export interface AbuseRow {
  id: number;
  user_id_from: number;
  user_id_to: number;
  time: number;
}

export interface Rows {
  users: UserRow;
  messages: MessageRow;
  users_relations: RelationRow;
  messages_translate: TranslationRow;
  abuse: AbuseRow;
}
export type Table = keyof Rows;
/** In the order they are imported: profiles, then messages, then what refers to them. */
export const TABLES: Table[] = [
  "users",
  "messages",
  "users_relations",
  "messages_translate",
  "abuse",
];

interface TableQuery {
  /** Columns and FROM; the key condition and order are added per page. */
  select: string;
  /** Key columns (qualified where a join needs it), in sort order. */
  key: string[];
}

const QUERIES: Record<Table, TableQuery> = {
  users: { select: "SELECT id, login, avatar_url, error FROM users", key: ["id"] },
  messages: {
    select: "SELECT id, from_user_id, to_user_id, time, read_time, message FROM messages",
    key: ["id"],
  },
  users_relations: {
    select: "SELECT user_id, to_user_id, type FROM users_relations",
    key: ["user_id", "to_user_id"],
  },
  messages_translate: {
    select: "SELECT t.id, t.message_id, t.language, t.text, UNIX_TIMESTAMP(t.time) AS time, " +
      "m.time AS message_time, m.from_user_id, m.to_user_id " +
      "FROM messages_translate t LEFT JOIN messages m ON m.id = t.message_id",
    key: ["t.id"],
  },
  abuse: { select: "SELECT id, user_id_from, user_id_to, time FROM abuse", key: ["id"] },
};

/** Before every key: ids in the original are ints, so this sorts below all of them. */
export const START = -(2 ** 53);

/** `WHERE` that selects keys after `cursor`: (a > ?) or (a = ? and b > ?). */
function after(key: string[], cursor: Cursor): { sql: string; args: number[] } {
  if (key.length === 1) return { sql: `${key[0]} > ?`, args: [cursor[0]] };
  return {
    sql: `(${key[0]} > ? OR (${key[0]} = ? AND ${key[1]} > ?))`,
    args: [cursor[0], cursor[0], cursor[1]],
  };
}

export function cursorOf<T extends Table>(table: T, row: Rows[T]): Cursor {
  const r = row as unknown as Record<string, number>;
  return QUERIES[table].key.map((k) => r[k.replace(/^\w+\./, "")]);
}

export function startCursor(table: Table): Cursor {
  return QUERIES[table].key.map(() => START);
}

export class Source {
  private constructor(private readonly db: mysql.Connection) {}

  /** Connects with a `mysql://user:password@host:port/database` URL. */
  static async open(url: string): Promise<Source> {
    const db = await mysql.createConnection({
      uri: url,
      charset: "utf8mb4",
      // Times are read as Unix seconds; the session zone must not shift UNIX_TIMESTAMP().
      timezone: "Z",
      supportBigNumbers: true,
    });
    await db.query("SET time_zone = '+00:00'");
    return new Source(db);
  }

  /** Rows after `cursor` (for the progress bar's total). */
  async count(table: Table, cursor: Cursor): Promise<number> {
    const q = QUERIES[table];
    const w = after(q.key, cursor);
    const from = q.select.slice(q.select.indexOf(" FROM ") + 1);
    const [rows] = await this.db.query(`SELECT COUNT(*) AS n ${from} WHERE ${w.sql}`, w.args);
    return Number((rows as { n: number }[])[0].n);
  }

  /** One page of rows after `cursor`, in key order. */
  async page<T extends Table>(table: T, cursor: Cursor, size: number): Promise<Rows[T][]> {
    const q = QUERIES[table];
    const w = after(q.key, cursor);
    const [rows] = await this.db.query(
      `${q.select} WHERE ${w.sql} ORDER BY ${q.key.join(", ")} LIMIT ?`,
      [...w.args, size],
    );
    return rows as Rows[T][];
  }

  /**
   * Every page after `cursor`, reading the next page while the caller writes the current one.
   * Memory holds at most two pages.
   */
  async *pages<T extends Table>(table: T, cursor: Cursor, size: number): AsyncGenerator<Rows[T][]> {
    const fetch = (c: Cursor) => {
      const p = this.page(table, c, size);
      // If the caller stops early, a failing read-ahead must not be an unhandled rejection.
      p.catch(() => {});
      return p;
    };
    let next = fetch(cursor);
    while (true) {
      const rows = await next;
      if (rows.length === 0) return;
      next = rows.length === size ? fetch(cursorOf(table, rows.at(-1)!)) : Promise.resolve([]);
      yield rows;
    }
  }

  async close(): Promise<void> {
    await this.db.end();
  }
}
