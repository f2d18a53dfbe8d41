import { sweepOrphanUploads } from "../kv/attachments.ts";
import { sweepRetention } from "../kv/retention.ts";
import type { Config } from "./config.ts";
import { log } from "./log.ts";

/**
 * The periodic clean-up, safe to run any time and more than once: uploads whose message never
 * came, and (with PARLEY_RETENTION_DAYS) messages past retention.
 */
export async function runMaintenance(kv: Deno.Kv, cfg: Config, now = new Date()) {
  const uploads = await sweepOrphanUploads(kv, now.getTime());
  const retention = cfg.retentionDays ? await sweepRetention(kv, cfg, now) : null;
  log.info("maintenance done", { uploads, retention });
  return { uploads, retention };
}
