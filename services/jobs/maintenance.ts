import { sweepOrphanUploads } from "../../kv/media/attachments.ts";
import { type MaintenanceStatus, recordMaintenanceRun } from "../../kv/maintenance.ts";
import { sweepRetention } from "../../kv/privacy/retention.ts";
import { endExpiredBans } from "../../kv/moderation/bans.ts";
import type { Config } from "../core/config.ts";
import { log } from "../core/log.ts";

/**
 * The periodic clean-up, safe to run any time and more than once: uploads whose message never
 * came, (with PARLEY_RETENTION_DAYS) messages past retention, and time-limited bans that ended
 * (their users' widgets are told they may write again). A failing job does not stop
 * the others; it is logged at error level and recorded in the status the manage API shows
 * (`GET /api/v1/manage/maintenance`). Never throws: the hourly cron must keep running.
 */
export async function runMaintenance(
  kv: Deno.Kv,
  cfg: Config,
  now = new Date(),
): Promise<MaintenanceStatus> {
  const started = new Date();
  const result: Record<string, unknown> = { uploads: null, retention: null, bans: null };
  let error: { job: string; message: string } | null = null;
  const jobs: [string, () => Promise<unknown>][] = [
    ["uploads", () => sweepOrphanUploads(kv, now.getTime())],
    ["retention", () => cfg.retentionDays ? sweepRetention(kv, cfg, now) : Promise.resolve(null)],
    ["bans", () => endExpiredBans(kv, cfg, now.getTime())],
  ];
  for (const [job, run] of jobs) {
    try {
      result[job] = await run();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      log.error("maintenance job failed", { job, reason: message });
      error ??= { job, message };
    }
  }
  if (!error) log.info("maintenance done", result);
  return await recordMaintenanceRun(kv, { started, finished: new Date(), result, error });
}
