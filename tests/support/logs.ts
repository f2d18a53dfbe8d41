/** Captures what Parley logs (services/core/log.ts writes through console) while `fn` runs. */
import { log } from "../../services/core/log.ts";

export async function captureLogs<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const { error, log: info } = console;
  const wasQuiet = log.quiet;
  console.error = (...a: unknown[]) => lines.push(a.map(String).join(" "));
  console.log = (...a: unknown[]) => lines.push(a.map(String).join(" "));
  log.quiet = false;
  try {
    return { result: await fn(), lines };
  } finally {
    console.error = error;
    console.log = info;
    log.quiet = wasQuiet;
  }
}
