/**
 * Seeds for the bounded scans of the user search (2,000 users per request) and the filtered audit
 * log (1,000 rows per request): many entries, few of them matching, so a page comes back short or
 * empty with a next cursor. Written straight to KV in the shapes the app writes.
 */
import { keys } from "../../kv/keys.ts";
import type { AuditRow } from "../../kv/moderation/audit.ts";
import { ulid } from "../../services/core/ids.ts";
import { seedProfile } from "./helpers.ts";

/**
 * `total` audit rows one second apart, newest last; the rows at the given positions counted from
 * the newest (0 = newest) are `user.note` rows, the rest `complaint.dismiss`. Returns the ids of
 * the `user.note` rows, newest first.
 */
export async function seedAudit(kv: Deno.Kv, total: number, notesAt: number[]): Promise<string[]> {
  const start = Date.now() - total * 1000 - 60_000;
  const notes: string[] = [];
  for (let i = 0; i < total; i += 500) {
    const op = kv.atomic();
    for (let j = i; j < Math.min(total, i + 500); j++) {
      const at = start + j * 1000;
      const fromNewest = total - 1 - j;
      const note = notesAt.includes(fromNewest);
      const row: AuditRow = {
        id: ulid(at),
        at: new Date(at).toISOString(),
        by: "boss",
        action: note ? "user.note" : "complaint.dismiss",
        target: note ? "greg" : "01ARZ3NDEKTSV4RRFFQ69G5FAV",
        note: note ? `note ${fromNewest}` : "",
      };
      if (note) notes.unshift(row.id);
      op.set(keys.audit(row.id), row);
    }
    await op.commit();
  }
  return notes;
}

/** `total` users `u0000`…; those at the given numbers are named "Needle <n>". */
export async function seedUsers(kv: Deno.Kv, total: number, needles: number[]) {
  const ids = Array.from({ length: total }, (_, i) => i);
  for (let i = 0; i < total; i += 50) {
    await Promise.all(
      ids.slice(i, i + 50).map((n) => {
        const uid = `u${String(n).padStart(4, "0")}`;
        return seedProfile(kv, uid, { name: needles.includes(n) ? `Needle ${n}` : `Person ${n}` });
      }),
    );
  }
}
