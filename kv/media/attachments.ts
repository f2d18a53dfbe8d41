/**
 * Image attachments in KV. Values are at most 64 KiB, so an image is stored as <= 60 KiB parts plus
 * one metadata record. An upload is two-phase so that nothing outlives a failure:
 * 1. `stageUpload` writes the parts together with a "pending" marker that carries an expiry;
 * 2. the message's own atomic (via `commitStagedOps`) checks and deletes the marker and writes the
 *    record, so the message and its attachment appear together or not at all.
 * A failure between the two calls `discardUpload`; a crash between them leaves the marker, and
 * `sweepOrphanUploads` removes expired markers with their parts.
 */
import { toHex } from "../../services/core/crypto.ts";
import type { ImageInfo } from "../../services/content/images.ts";
import { ApiError } from "../../services/core/errors.ts";
import { ulid } from "../../services/core/ids.ts";
import { userDeleted } from "../messaging/events.ts";
import { keys } from "../keys.ts";
import type { Attachment } from "../types.ts";

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_IMAGE_SIDE = 8000;
/**
 * Decoding budget of one image: frames × width × height (100 megapixels: one 10000 × 10000
 * still, or 100 frames of 1000 × 1000). A viewer's browser pays it, not the server.
 */
export const MAX_IMAGE_PIXELS = 100_000_000;
export const CHUNK_BYTES = 60 * 1024;
/** Parts per staging atomic: 12 x 60 KiB stays under the 800 KiB atomic payload limit. */
const CHUNKS_PER_ATOMIC = 12;
/** How long staged parts may wait for their message before the sweep may remove them. */
export const PENDING_MS = 15 * 60_000;

/** The stored metadata of a committed image; `from`/`to` decide who may download it. */
export interface AttachmentRecord extends Attachment {
  from: string;
  to: string;
  message_id: string;
  /** Hex SHA-256 prefix of the bytes; the download's ETag. */
  etag: string;
  chunks: number;
  created_at: string;
}

/** Parts written, message not yet: what the sweep needs to clean up. */
export interface PendingUpload {
  from: string;
  to: string;
  chunks: number;
  size: number;
  expires_at: number;
}

/** An upload between its two phases. */
export interface StagedUpload {
  attachment: Attachment;
  etag: string;
  pending: Deno.KvEntry<PendingUpload>;
}

function partsOf(bytes: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
    // A copy, not a view: KV would serialise a view's whole underlying buffer.
    parts.push(bytes.slice(at, at + CHUNK_BYTES));
  }
  return parts;
}

/**
 * Writes `parts` as the parts of image `id`, CHUNKS_PER_ATOMIC per atomic; `first` adds to the
 * first atomic. Returns the first atomic's versionstamp.
 */
async function writeParts(
  kv: Deno.Kv,
  id: string,
  parts: Uint8Array[],
  opts: {
    /** Adds to the first atomic (the pending marker and its checks). */
    first?: (op: Deno.AtomicOperation) => void;
    /** A key the first atomic wrote, checked unchanged by every later one. */
    marker?: Deno.KvKey;
    /** The error to throw when an atomic fails its checks. */
    refused?: () => Promise<Error>;
  } = {},
): Promise<string> {
  let stamp = "";
  for (let at = 0; at < parts.length; at += CHUNKS_PER_ATOMIC) {
    const op = kv.atomic();
    if (at === 0) opts.first?.(op);
    else if (opts.marker) op.check({ key: opts.marker, versionstamp: stamp });
    parts.slice(at, at + CHUNKS_PER_ATOMIC).forEach((part, i) => {
      op.set(keys.attachmentChunk(id, at + i), part);
    });
    const res = await op.commit();
    if (!res.ok) {
      throw opts.refused
        ? await opts.refused()
        : new Error(`image ${id}: parts atomic was rejected`);
    }
    if (at === 0) stamp = res.versionstamp;
  }
  return stamp;
}

/** The stored record of an image that belongs to message `msg` (new or imported). */
export function attachmentRecord(
  attachment: Attachment,
  msg: { id: string; from: string; to: string },
  meta: { etag: string; chunks: number; created_at: string },
): AttachmentRecord {
  return { ...attachment, from: msg.from, to: msg.to, message_id: msg.id, ...meta };
}

/** The image's metadata as a message carries it, and the ETag of its bytes. */
async function describe(id: string, bytes: Uint8Array<ArrayBuffer>, info: ImageInfo) {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return {
    attachment: { id, type: info.type, width: info.width, height: info.height, size: bytes.length },
    etag: toHex(digest).slice(0, 32),
  };
}

/**
 * Writes an imported image's parts under `id` (derived from the original row, so a repeated
 * import overwrites the same parts) and returns what its message's atomic stores: the message's
 * attachment and the record (attachmentRecord). No pending marker: the record goes in with the
 * message, and an import that stops in between rewrites the same parts when it continues.
 */
export async function writeImportedImage(
  kv: Deno.Kv,
  id: string,
  bytes: Uint8Array<ArrayBuffer>,
  info: ImageInfo,
): Promise<{ attachment: Attachment; etag: string; chunks: number }> {
  const parts = partsOf(bytes);
  await writeParts(kv, id, parts);
  return { ...(await describe(id, bytes, info)), chunks: parts.length };
}

/** Phase 1: writes the image's parts and a pending marker. On failure, removes what it wrote. */
export async function stageUpload(
  kv: Deno.Kv,
  bytes: Uint8Array<ArrayBuffer>,
  info: ImageInfo,
  route: { from: string; to: string },
  now = Date.now(),
): Promise<StagedUpload> {
  const id = ulid(now);
  const parts = partsOf(bytes);
  const pending: PendingUpload = {
    ...route,
    chunks: parts.length,
    size: bytes.length,
    expires_at: now + PENDING_MS,
  };
  let marker: Deno.KvEntry<PendingUpload> | null = null;
  try {
    // The marker goes in with the first parts, so no part is ever written untracked; none is
    // written while either user is being erased, and later parts only while the marker is
    // still there (an erase or the sweep may take it).
    const first = await writeParts(kv, id, parts, {
      first: (op) => {
        op.check({ key: keys.uploadPending(id), versionstamp: null })
          .check({ key: keys.erasing(route.from), versionstamp: null })
          .check({ key: keys.erasing(route.to), versionstamp: null })
          .set(keys.uploadPending(id), pending);
      },
      marker: keys.uploadPending(id),
      refused: () => stagingRefused(kv, id, route),
    });
    marker = { key: keys.uploadPending(id), value: pending, versionstamp: first };
  } catch (e) {
    await discardUpload(kv, id, parts.length);
    throw e;
  }
  return { ...(await describe(id, bytes, info)), pending: marker! };
}

/** Why a staging atomic failed its checks: a user is being erased (410), or the upload is gone. */
async function stagingRefused(kv: Deno.Kv, id: string, route: { from: string; to: string }) {
  const [from, to] = await kv.getMany([keys.erasing(route.from), keys.erasing(route.to)]);
  if (from.value !== null) return userDeleted(route.from, "from");
  if (to.value !== null) return userDeleted(route.to);
  return new ApiError(409, "upload_cancelled", `upload ${id} was removed while it was stored`);
}

/**
 * Phase 2, as the `also` of sendMessage: the marker must still be there (the sweep did not take
 * the parts), it goes, and the record appears in the same atomic as the message.
 */
export function commitStagedOps(staged: StagedUpload) {
  return (op: Deno.AtomicOperation, msg: { id: string; from: string; to: string }) => {
    const record = attachmentRecord(staged.attachment, msg, {
      etag: staged.etag,
      chunks: staged.pending.value.chunks,
      created_at: new Date().toISOString(),
    });
    op.check(staged.pending)
      .delete(staged.pending.key)
      .set(keys.attachment(record.id), record);
  };
}

/**
 * A send guard (kv/moderation/send_guard.ts) that refuses the send (409 `upload_cancelled`) once
 * the staged upload's marker is gone (an erase or the sweep took its parts) instead of retrying
 * on a check that can never pass again. commitStagedOps checks the marker itself.
 */
export function stagedGuard(staged: StagedUpload) {
  return async (kv: Deno.Kv): Promise<Deno.KvEntryMaybe<unknown>[]> => {
    const now = await kv.get(staged.pending.key);
    if (now.versionstamp !== staged.pending.versionstamp) {
      throw new ApiError(409, "upload_cancelled", "the image was removed before its message");
    }
    return [];
  };
}

/** Removes a staged upload's parts and marker (after a failed send). */
export async function discardUpload(kv: Deno.Kv, id: string, chunks: number): Promise<void> {
  const op = kv.atomic().delete(keys.uploadPending(id));
  for (let n = 0; n < chunks; n++) op.delete(keys.attachmentChunk(id, n));
  await op.commit();
}

/** Removes a staged upload unless its message committed it (or the sweep took it) already. */
export async function discardStaged(kv: Deno.Kv, staged: StagedUpload): Promise<void> {
  const op = kv.atomic().check(staged.pending).delete(staged.pending.key);
  for (let n = 0; n < staged.pending.value.chunks; n++) {
    op.delete(keys.attachmentChunk(staged.attachment.id, n));
  }
  await op.commit();
}

/**
 * Writes the image's parts while `checks` runs (the sender's checks may wait on the host site, so
 * the two overlap). If either fails, whatever was staged is removed and the error is rethrown.
 */
export async function stageAlongside(
  kv: Deno.Kv,
  image: { bytes: Uint8Array<ArrayBuffer>; info: ImageInfo } | null,
  route: { from: string; to: string },
  checks: () => Promise<void>,
): Promise<StagedUpload | null> {
  if (!image) {
    await checks();
    return null;
  }
  const [staged, checked] = await Promise.allSettled([
    stageUpload(kv, image.bytes, image.info, route),
    checks(),
  ]);
  if (checked.status === "rejected") {
    if (staged.status === "fulfilled") await discardStaged(kv, staged.value);
    throw checked.reason;
  }
  if (staged.status === "rejected") throw staged.reason;
  return staged.value;
}

/** Runs the send meant to commit `staged`; if the send fails, the staged parts are removed. */
export async function commitOrDiscard<T>(
  kv: Deno.Kv,
  staged: StagedUpload | null,
  send: () => Promise<T>,
): Promise<T> {
  try {
    return await send();
  } catch (e) {
    if (staged) await discardStaged(kv, staged);
    throw e;
  }
}

/**
 * Deletes uploads whose message never came (the process died between the two phases) once their
 * marker has expired. Each removal checks the marker, so a message committing at the same moment
 * wins and keeps its parts. Returns how many uploads were removed.
 */
export async function sweepOrphanUploads(kv: Deno.Kv, now = Date.now()): Promise<number> {
  let swept = 0;
  for await (const e of kv.list<PendingUpload>({ prefix: keys.uploadsPending() })) {
    if (e.value.expires_at > now) continue;
    const id = e.key[1] as string;
    const op = kv.atomic().check(e).delete(e.key);
    for await (const part of kv.list({ prefix: keys.attachmentChunks(id) })) op.delete(part.key);
    if ((await op.commit()).ok) swept++;
  }
  return swept;
}

export async function getAttachment(kv: Deno.Kv, id: string): Promise<AttachmentRecord | null> {
  return (await kv.get<AttachmentRecord>(keys.attachment(id))).value;
}

/** The image's bytes, reassembled; null if parts are missing (deleted meanwhile). */
export async function readAttachmentBytes(
  kv: Deno.Kv,
  rec: AttachmentRecord,
): Promise<Uint8Array<ArrayBuffer> | null> {
  const out = new Uint8Array(rec.size);
  let at = 0;
  let n = 0;
  // One batch holds every part (<= 86 for 5 MB), so the read is consistent.
  const iter = kv.list<Uint8Array>({ prefix: keys.attachmentChunks(rec.id) }, { batchSize: 500 });
  for await (const e of iter) {
    if (e.key[2] !== n || at + e.value.length > rec.size) return null;
    out.set(e.value, at);
    at += e.value.length;
    n++;
  }
  return at === rec.size && n === rec.chunks ? out : null;
}

/** Deletes an image (record and parts), e.g. with its message; for the admin and privacy work. */
export async function deleteAttachment(kv: Deno.Kv, id: string): Promise<void> {
  const op = kv.atomic().delete(keys.attachment(id)).delete(keys.attachmentThumb(id));
  for await (const part of kv.list({ prefix: keys.attachmentChunks(id) })) op.delete(part.key);
  await op.commit();
}
