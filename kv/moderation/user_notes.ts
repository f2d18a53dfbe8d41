/**
 * Moderators' notes about a user ("warned twice", "sells on another site"): seen only by admins,
 * each written and deleted together with its audit row, so the log tells who wrote what.
 */
import { ulid } from "../../services/core/ids.ts";
import { addAudit, type AuditRow } from "./audit.ts";
import { keys } from "../keys.ts";

export interface UserNote {
  id: string;
  user_id: string;
  by: string;
  at: string;
  text: string;
}

/** Notes kept per user; the oldest go first when more are written (a value stays small). */
export const MAX_NOTES = 100;
export const MAX_NOTE_TEXT = 2000;

/** The notes about `uid`, newest first. */
export async function listNotes(kv: Deno.Kv, uid: string): Promise<UserNote[]> {
  const out: UserNote[] = [];
  const iter = kv.list<UserNote>({ prefix: keys.adminNotes(uid) }, {
    reverse: true,
    limit: MAX_NOTES,
  });
  for await (const e of iter) out.push(e.value);
  return out;
}

/** Adds a note (and its audit row, in one atomic); the oldest beyond MAX_NOTES is dropped. */
export async function addNote(
  kv: Deno.Kv,
  uid: string,
  by: string,
  text: string,
): Promise<{ note: UserNote; audit: AuditRow }> {
  const note: UserNote = { id: ulid(), user_id: uid, by, at: new Date().toISOString(), text };
  const op = kv.atomic().set(keys.adminNote(uid, note.id), note);
  const old = await listNotes(kv, uid);
  for (const n of old.slice(MAX_NOTES - 1)) op.delete(keys.adminNote(uid, n.id));
  const audit = addAudit(op, {
    by,
    action: "user.note",
    target: uid,
    note: "",
    details: { text: [...text].slice(0, 200).join("") },
  });
  const res = await op.commit();
  if (!res.ok) throw new Error("note was not written");
  return { note, audit };
}

/** Deletes a note (audited); null if there is no such note about `uid`. */
export async function deleteNote(
  kv: Deno.Kv,
  uid: string,
  id: string,
  by: string,
): Promise<{ audit: AuditRow } | null> {
  const found = await kv.get<UserNote>(keys.adminNote(uid, id));
  if (!found.value) return null;
  const op = kv.atomic().check(found).delete(found.key);
  const audit = addAudit(op, {
    by,
    action: "user.note_delete",
    target: uid,
    note: "",
    details: { text: [...found.value.text].slice(0, 200).join(""), written_by: found.value.by },
  });
  const res = await op.commit();
  return res.ok ? { audit } : null;
}
