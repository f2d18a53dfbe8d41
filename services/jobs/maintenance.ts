import { sweepOrphanUploads } from "../../kv/media/attachments.ts";
import { sweepRetention } from "../../kv/privacy/retention.ts";
import type { Config } from "../core/config.ts";
import { log } from "../core/log.ts";

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
