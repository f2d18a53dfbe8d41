/** One-line structured logs for the site owner (stdout locally, the log view on Deno Deploy). */
import { redactUrls } from "./redact.ts";

function line(level: string, msg: string, data?: Record<string, unknown>) {
  const extra = data ? " " + JSON.stringify(data) : "";
  // Last line of defence: no URL is ever logged with its query string or credentials.
  const out = redactUrls(`${new Date().toISOString()} ${level} ${msg}${extra}`);
  if (level === "ERROR" || level === "WARN") console.error(out);
  else console.log(out);
}

export const log = {
  quiet: false,
  info(msg: string, data?: Record<string, unknown>) {
    if (!log.quiet) line("INFO", msg, data);
  },
  warn(msg: string, data?: Record<string, unknown>) {
    if (!log.quiet) line("WARN", msg, data);
  },
  error(msg: string, data?: Record<string, unknown>) {
    line("ERROR", msg, data);
  },
};
