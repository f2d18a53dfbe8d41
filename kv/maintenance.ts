/**
 * The scheduled clean-up's status (services/jobs/maintenance.ts writes it after every run; the
 * manage API's `GET /maintenance` reads it), so a job that keeps failing is visible to the owner.
 */
import { keys } from "./keys.ts";

export interface MaintenanceStatus {
  /** When the last run started and finished (ISO), null before the first. */
  last_run_started_at: string | null;
  last_run_finished_at: string | null;
  /** Whether the last run did all its work. */
  last_run_ok: boolean | null;
  /** The last run's counts (uploads swept, messages and dialogs retention removed). */
  last_result: Record<string, unknown> | null;
  /** When a run last succeeded. */
  last_success_at: string | null;
  /** The latest failure ({at, job, message}); kept after later successes, for the record. */
  last_error: { at: string; job: string; message: string } | null;
  /** Runs that failed since the last success. */
  failures_in_a_row: number;
}

const EMPTY: MaintenanceStatus = {
  last_run_started_at: null,
  last_run_finished_at: null,
  last_run_ok: null,
  last_result: null,
  last_success_at: null,
  last_error: null,
  failures_in_a_row: 0,
};

/** The stored status (all nulls before the first run). */
export async function getMaintenanceStatus(kv: Deno.Kv): Promise<MaintenanceStatus> {
  return { ...EMPTY, ...(await kv.get<MaintenanceStatus>(keys.maintenanceStatus())).value };
}

/** Records one finished run: its times, result and the first error it met (if any). */
export async function recordMaintenanceRun(
  kv: Deno.Kv,
  run: {
    started: Date;
    finished: Date;
    result: Record<string, unknown>;
    error: { job: string; message: string } | null;
  },
): Promise<MaintenanceStatus> {
  const before = await getMaintenanceStatus(kv);
  const finished = run.finished.toISOString();
  const next: MaintenanceStatus = {
    last_run_started_at: run.started.toISOString(),
    last_run_finished_at: finished,
    last_run_ok: run.error === null,
    last_result: run.result,
    last_success_at: run.error ? before.last_success_at : finished,
    // Error messages are capped: the status stays a small value.
    last_error: run.error
      ? { at: finished, job: run.error.job, message: run.error.message.slice(0, 500) }
      : before.last_error,
    failures_in_a_row: run.error ? before.failures_in_a_row + 1 : 0,
  };
  await kv.set(keys.maintenanceStatus(), next);
  return next;
}
