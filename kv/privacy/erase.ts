/**
 * Privacy requests: erase a user (manage API `DELETE /users/:id`) and export what Parley holds
 * about them (`GET /users/:id/export`), both over the key families of kv/privacy/families.ts.
 *
 * An erase is safe while others keep writing. It first commits an erasure marker together with a
 * re-write of the user's event counter: every write that involves the user (a send to or from
 * them, a read mark, typing, a contact change, a sign-in) either committed before it, and is
 * found by the scan that follows, or fails its check and is refused with 410 `user_deleted`.
 * Then every family is erased in atomics of bounded size, a second pass sweeps up what unchecked
 * writes (caches, rate counters, late admin-log appends) added meanwhile, and the marker and the
 * counter go last. A marker older than ERASE_STALE_MS (a crashed erase) is taken over by the next
 * DELETE, which resumes the work.
 */
import { ApiError } from "../../services/core/errors.ts";
import { commitWithRetry } from "../atomic.ts";
import { publish } from "../messaging/events.ts";
import { keys } from "../keys.ts";
import { finishAdminFeed } from "../moderation/admin_feed.ts";
import { forgetContacts } from "../people/relations.ts";
import { revokeSessions } from "../people/sessions.ts";
import { FAMILIES, type KeyFamily, type Subject, subjectOf } from "./families.ts";

/** What the erasure marker holds. */
export interface ErasureMarker {
  started_at: number;
}

/** After this long, an erasure marker is taken to be left by a crash and the erase is resumed. */
export const ERASE_STALE_MS = 10 * 60_000;

/** Passes at most (the second usually finds nothing). */
const MAX_PASSES = 4;

/** Entries erased per atomic: each costs at most 2 mutations, so at most 800 of KV's 1,000. */
const ERASE_BATCH = 400;

function keyId(key: Deno.KvKey): string {
  return key.map((p) => `${typeof p}:${p instanceof Uint8Array ? [...p].join(".") : String(p)}`)
    .join("/");
}

/**
 * Commits the marker with a re-write of the event counter (so it exists, and every atomic that
 * checked the old one fails). 409 while another erase of the same user is under way.
 */
async function beginErase(kv: Deno.Kv, uid: string): Promise<void> {
  await commitWithRetry(async () => {
    const [seq, marker] = await kv.getMany<[number, ErasureMarker]>([
      keys.eventSeq(uid),
      keys.erasing(uid),
    ]);
    if (marker.value && Date.now() - marker.value.started_at < ERASE_STALE_MS) {
      throw new ApiError(409, "erase_in_progress", `user ${uid} is already being deleted`, "id");
    }
    const op = kv.atomic().check(seq, marker)
      .set(keys.erasing(uid), { started_at: Date.now() } satisfies ErasureMarker)
      .set(keys.eventSeq(uid), seq.value ?? 0);
    return { op, result: true };
  });
}

/** One pass over every family: erases what it finds; returns how many entries. */
async function erasePass(kv: Deno.Kv, subject: Subject): Promise<number> {
  const seen = new Set<string>();
  const doomed: { family: KeyFamily; entry: Deno.KvEntry<unknown> }[] = [];
  for (const family of FAMILIES) {
    for await (const entry of family.find(kv, subject)) {
      const id = keyId(entry.key);
      if (seen.has(id)) continue;
      seen.add(id);
      doomed.push({ family, entry });
    }
  }
  const checked = doomed.filter((d) => d.family.checked);
  const plain = doomed.filter((d) => !d.family.checked);
  for (let i = 0; i < plain.length; i += ERASE_BATCH) {
    const op = kv.atomic();
    for (const { family, entry } of plain.slice(i, i + ERASE_BATCH)) {
      if (family.erase) family.erase(op, entry);
      else op.delete(entry.key);
    }
    const res = await op.commit();
    if (!res.ok) throw new Error("erase batch did not commit");
  }
  // Families that touch only their own entries share atomics (up to the check budget); the
  // others (counters beside the entry) go one entry per atomic.
  const groups = checked.filter((d) => !d.family.batched).map((d) => [d]);
  const batched = checked.filter((d) => d.family.batched);
  for (let i = 0; i < batched.length; i += CHECKS_PER_ATOMIC) {
    groups.push(batched.slice(i, i + CHECKS_PER_ATOMIC));
  }
  for (const group of groups) {
    if (await commitChecked(kv, group) || group.length === 1) continue;
    // One of them moved: each alone, so the rest still goes. A failed check means the entry
    // changed or went (another erase, a retention sweep): the next pass finds it where it is now.
    for (const d of group) await commitChecked(kv, [d]);
  }
  return doomed.length;
}

/** Checks per atomic of checked entries: KV Connect allows 10. */
const CHECKS_PER_ATOMIC = 10;

/** Erases `group` in one atomic that checks each entry is as it was found; false if one moved. */
async function commitChecked(
  kv: Deno.Kv,
  group: { family: KeyFamily; entry: Deno.KvEntry<unknown> }[],
): Promise<boolean> {
  const op = kv.atomic();
  for (const { family, entry } of group) {
    op.check(entry);
    if (family.erase) family.erase(op, entry);
    else op.delete(entry.key);
  }
  return (await op.commit()).ok;
}

/**
 * Deletes everything about `uid`: their profile, keys, sessions, every message of every dialog
 * they are in (both sides go: the peers' dialog entries, indexes and unread counters too), their
 * event log; events about them in others' logs are blanked, moderation audit rows lose the
 * message content they quoted. The peers get a `reset` event so their open widgets refetch.
 * Returns how many entries went (0 for a user Parley holds nothing of) and who the peers were.
 */
export async function eraseUser(
  kv: Deno.Kv,
  uid: string,
): Promise<{ keys: number; peers: string[] }> {
  await beginErase(kv, uid);
  // This process's admin-log appends of sends that committed before the marker (they follow
  // the send by some milliseconds, kv/moderation/admin_feed.ts) land before the passes look:
  // an erase quicker than that left them behind its last pass.
  await finishAdminFeed(kv);
  await revokeSessions(kv, uid);
  // Before the contacts go: the owners of contact records are among the logs to clean.
  const subject = await subjectOf(kv, uid);
  await forgetContacts(kv, uid);
  let erased = 0;
  let pass = subject;
  // Until a pass finds nothing: writes that check no marker (profile caches, rate counters,
  // admin-log appends of sends that committed just before the marker) and entries that moved
  // under a checked erase are picked up by the next pass.
  for (let i = 0; i < MAX_PASSES; i++) {
    const found = await erasePass(kv, pass);
    erased += found;
    if (found === 0 && i > 0) break;
    const again = await subjectOf(kv, uid);
    pass = {
      uid,
      peers: [...new Set([...pass.peers, ...again.peers])],
      logOwners: [...new Set([...pass.logOwners, ...again.logOwners])],
    };
  }
  // Their dialogs vanished from the peers' lists: tell open widgets to refetch. Before the marker
  // goes, so everything of the user older than these events is gone for good.
  // Only to peers who still have a log: a peer erased meanwhile must not get one back.
  await publish(
    kv,
    subject.peers.map((peer) => ({ uid: peer, type: "reset", data: { reason: "user_deleted" } })),
    undefined,
    { existingLogs: true },
  );
  await kv.atomic().delete(keys.erasing(uid)).delete(keys.eventSeq(uid))
    .delete(keys.logHosts(uid)).commit();
  return { keys: erased, peers: subject.peers };
}

/** Everything Parley holds about `uid` as one JSON object, one section per exported family. */
export async function exportUser(kv: Deno.Kv, uid: string): Promise<Record<string, unknown>> {
  const subject = await subjectOf(kv, uid);
  const out: Record<string, unknown> = {
    user_id: uid,
    exported_at: new Date().toISOString(),
    peers: subject.peers,
  };
  for (const family of FAMILIES) {
    if (!family.show) continue;
    const entries: Deno.KvEntry<unknown>[] = [];
    for await (const e of family.find(kv, subject)) entries.push(e);
    out[family.name] = family.show(entries);
  }
  return out;
}
