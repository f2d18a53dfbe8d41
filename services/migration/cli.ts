/**
 * `deno task import:star-comet --mysql mysql://user:pass@host:port/db --files <chatFiles dir>
 * [--kv <path or URL>] [--dry-run] [--json]`: brings a Star.Comet-Chat site's history into Parley.
 * The password may come from MYSQL_PWD instead of the URL.
 * `--kv` defaults to PARLEY_KV_PATH; a URL is a remote KV (Deno Deploy's database from outside,
 * or a self-hosted denokv), opened with DENO_KV_ACCESS_TOKEN. Progress goes to stderr, the
 * report to stdout. Exit 0 when the import ran (problems with single rows are in the report),
 * 2 for bad arguments, 1 when it failed.
 */
import { parseArgs } from "node:util";
import { stderrProgress } from "./progress.ts";
import { runImport } from "./run.ts";

const USAGE =
  `Usage: deno task import:star-comet --mysql mysql://user:password@host:port/database \\
         --files /path/to/chatFiles [--kv <file or URL>] [--dry-run] [--json]

  --mysql    the Star.Comet-Chat database (a read-only user is enough); the password may
             instead be in MYSQL_PWD, which keeps it out of the command line
  --files    its chatFiles/ folder (the images messages refer to)
  --kv       Parley's KV: a file (default: PARLEY_KV_PATH), or a URL with DENO_KV_ACCESS_TOKEN set
  --dry-run  read and check everything, write nothing, print what an import would do
  --json     print the report as JSON`;

class UsageError extends Error {}

interface Args {
  mysql: string;
  files: string;
  kv: string | null;
  dryRun: boolean;
  json: boolean;
}

export function parseCli(argv: string[], env: Record<string, string | undefined>): Args {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        mysql: { type: "string" },
        files: { type: "string" },
        kv: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (!values.mysql || !/^(mysql|mariadb):\/\//.test(values.mysql)) {
    throw new UsageError("--mysql must be a mysql://user:password@host:port/database URL");
  }
  if (!values.files) throw new UsageError("--files must name the chatFiles folder");
  const kv = values.kv || env.PARLEY_KV_PATH || null;
  if (!kv && !values["dry-run"]) {
    throw new UsageError("--kv is missing and PARLEY_KV_PATH is not set: where should it go?");
  }
  if (kv && /^https?:\/\//.test(kv) && !env.DENO_KV_ACCESS_TOKEN) {
    throw new UsageError("a remote KV needs DENO_KV_ACCESS_TOKEN in the environment");
  }
  // A password in MYSQL_PWD (as the mysql client reads it) stays out of the command line, the
  // shell history and the line `deno task` echoes.
  const mysql = new URL(values.mysql.replace(/^mariadb:/, "mysql:"));
  if (!mysql.password && env.MYSQL_PWD) mysql.password = env.MYSQL_PWD;
  return {
    mysql: mysql.href,
    files: values.files,
    kv,
    dryRun: values["dry-run"],
    json: values.json,
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Opens the KV: a URL or a file; a dry run does not create a file that is not there. */
async function openKv(target: string | null, dryRun: boolean): Promise<Deno.Kv | null> {
  if (!target) return null;
  if (/^https?:\/\//.test(target)) return await Deno.openKv(target);
  if (dryRun && !(await exists(target))) return null;
  return await Deno.openKv(target);
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseCli(Deno.args, Deno.env.toObject());
    const st = await Deno.stat(args.files).catch(() => null);
    if (!st?.isDirectory) throw new UsageError(`--files ${args.files} is not a folder`);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`import: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  const kv = await openKv(args.kv, args.dryRun);
  try {
    const report = await runImport({
      mysql: args.mysql,
      files: args.files,
      kv,
      dryRun: args.dryRun,
      progress: stderrProgress(),
    });
    console.log(args.json ? JSON.stringify(report) : report.format());
    return 0;
  } catch (e) {
    // The password is in the URL: never print it back (mysql2's errors do not include it).
    console.error(`import failed: ${e instanceof Error ? e.message : e}`);
    console.error("Run the same command again to continue after the last page written.");
    return 1;
  } finally {
    kv?.close();
  }
}

if (import.meta.main) Deno.exit(await main());
