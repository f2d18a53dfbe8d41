/**
 * A real MariaDB for tests and the import bench: Debian's mariadb-server, a fresh data folder
 * made by mariadb-install-db in a temp dir, mariadbd on a free loopback port (as root, with
 * --user=root, the way CI runs), a database with the original Star.Comet-Chat schema and a
 * password-protected read-only user, the way a site's database is reached.
 */
import mysql from "mysql2/promise";
import { freePort } from "./ports.ts";

export interface MariaDb {
  /** The read-only user's URL, as given to `--mysql`. */
  url: string;
  /** A root connection to the database, for loading data. */
  root: mysql.Connection;
  port: number;
  close(): Promise<void>;
}

const SCHEMA = new URL("../fixtures/star-comet-chat/database.sql", import.meta.url);
export const DATABASE = "starcomet";
export const READER = { user: "chat_reader", password: "s3cret-Пароль" };

async function run(cmd: string, args: string[]) {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} failed: ${new TextDecoder().decode(out.stderr).slice(-2000)}`);
  }
}

async function connectWhenReady(port: number, child: Deno.ChildProcess, log: string) {
  const deadline = Date.now() + 60_000;
  let exited = false;
  child.status.then(() => exited = true);
  while (true) {
    try {
      return await mysql.createConnection({
        host: "127.0.0.1",
        port,
        user: "root",
        charset: "utf8mb4",
        multipleStatements: true,
      });
    } catch (e) {
      if (exited || Date.now() > deadline) {
        const tail = await Deno.readTextFile(log).catch(() => "");
        throw new Error(`mariadbd did not start: ${e}\n${tail.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Starts MariaDB with the original schema loaded; `close()` stops it and removes its files. */
export async function startMariaDb(): Promise<MariaDb> {
  const dir = await Deno.makeTempDir({ prefix: "parley-mariadb-" });
  const data = `${dir}/data`;
  const log = `${dir}/error.log`;
  // Its own temp folder: the server's temporary tables never meet another server's in /tmp.
  const tmp = `${dir}/tmp`;
  await Deno.mkdir(tmp);
  await run("mariadb-install-db", [
    "--no-defaults",
    `--datadir=${data}`,
    `--tmpdir=${tmp}`,
    "--user=root",
    "--auth-root-authentication-method=normal",
    "--skip-test-db",
  ]);
  const port = freePort();
  const child = new Deno.Command("mariadbd", {
    args: [
      "--no-defaults",
      `--datadir=${data}`,
      `--tmpdir=${tmp}`,
      "--user=root",
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      `--socket=${dir}/mysqld.sock`,
      `--pid-file=${dir}/mysqld.pid`,
      `--log-error=${log}`,
      "--skip-name-resolve",
      "--skip-log-bin",
      // Speed over durability: it is a throwaway test database.
      "--innodb-flush-log-at-trx-commit=0",
      "--innodb-buffer-pool-size=64M",
      "--max-allowed-packet=64M",
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  let root: mysql.Connection | null = null;
  try {
    root = await connectWhenReady(port, child, log);
    await root.query(
      `CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4; USE ${DATABASE};\n` +
        (await Deno.readTextFile(SCHEMA)).trim().replace(/;?$/, ";\n") +
        `CREATE USER '${READER.user}'@'127.0.0.1' IDENTIFIED BY '${READER.password}';` +
        `GRANT SELECT ON ${DATABASE}.* TO '${READER.user}'@'127.0.0.1';`,
    );
  } catch (e) {
    await root?.end().catch(() => {});
    child.kill("SIGKILL");
    await child.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw e;
  }
  const db = root;
  return {
    url: `mysql://${READER.user}:${
      encodeURIComponent(READER.password)
    }@127.0.0.1:${port}/${DATABASE}`,
    root: db,
    port,
    async close() {
      await db.end().catch(() => {});
      child.kill("SIGTERM");
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stopped = await Promise.race([
        child.status.then(() => true),
        new Promise<boolean>((r) => timer = setTimeout(() => r(false), 20_000)),
      ]);
      clearTimeout(timer);
      if (!stopped) {
        child.kill("SIGKILL");
        await child.status;
      }
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
