/**
 * `deno task bench:import [--messages N] [--dialogs D] [--users U]`: the Star.Comet-Chat import
 * rate. Starts a real MariaDB (tests/support/mariadb.ts), fills the original's tables with N
 * generated messages between U users in D dialogs (random dialogs per message: the worst case
 * for merging, real chats cluster more), imports into a fresh local KV file and prints messages
 * per second, with the importer's CPU time and the load average (the machine may be shared).
 */
import { runImport } from "../services/migration/run.ts";
import { startMariaDb } from "../tests/support/mariadb.ts";
import { generate, load } from "../tests/support/star_comet_data.ts";

function arg(name: string, def: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : def;
}
const MESSAGES = arg("messages", 100_000);
const DIALOGS = arg("dialogs", 5_000);
const USERS = arg("users", 2_000);

/** This process's user + system CPU time in ms (the KV's SQLite threads included). */
function cpuMs(): number {
  const f = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) * 10;
}

const files = await Deno.makeTempDir({ prefix: "bench-chatFiles-" });
const work = await Deno.makeTempDir({ prefix: "bench-import-" });
const db = await startMariaDb();
try {
  console.log(`generating ${MESSAGES} messages, ${DIALOGS} dialogs, ${USERS} users…`);
  const data = await generate(
    { users: USERS, dialogs: DIALOGS, messages: MESSAGES, imageEvery: 1000, start: 1_454_284_800 },
    files,
  );
  await load(db.root, data);
  const kv = await Deno.openKv(`${work}/parley.sqlite`);
  const cpu0 = cpuMs();
  const t0 = performance.now();
  const report = await runImport({ mysql: db.url, files, kv, dryRun: false });
  const wall = (performance.now() - t0) / 1000;
  const cpu = (cpuMs() - cpu0) / 1000;
  kv.close();
  const n = report.tables.messages.read;
  console.log(report.format());
  console.log(
    `\nimport rate: ${report.rate} messages/s over the messages table ` +
      `(${n} messages; whole import ${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU in the ` +
      `importer: ${Math.round(n / cpu)} messages per CPU second; load average ` +
      `${
        Deno.loadavg().map((x) => x.toFixed(1)).join(" ")
      } on ${navigator.hardwareConcurrency} cores)`,
  );
} finally {
  await db.close();
  await Deno.remove(files, { recursive: true });
  await Deno.remove(work, { recursive: true });
}
