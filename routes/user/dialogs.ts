import { Hono } from "hono";
import {
  commitOrDiscard,
  commitStagedOps,
  stageAlongside,
  stagedGuard,
} from "../../kv/media/attachments.ts";
import { listDialogs, parseDialogCursor } from "../../kv/messaging/dialogs.ts";
import {
  allHooks,
  listMessages,
  markRead,
  readForSend,
  sendMessage,
} from "../../kv/messaging/messages.ts";
import { reusedOnce } from "../../kv/atomic.ts";
import { coalescedReads } from "../../kv/batch.ts";
import { enforceRate, rateStep } from "../../kv/ratelimit.ts";
import { allGuards, userSendGuard } from "../../kv/moderation/send_guard.ts";
import { publishAdmin } from "../../kv/moderation/admin_feed.ts";
import { relationsOf } from "../../kv/people/relations.ts";
import { visiblePresence } from "../../kv/people/visible_presence.ts";
import { sendTyping } from "../../kv/messaging/typing.ts";
import { getProfiles, publicProfile, readCachedProfiles } from "../../kv/people/users.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { onMessageRead, onMessageSent } from "../../services/webhooks/events.ts";
import { ApiError, badRequest, forbidden } from "../../services/core/errors.ts";
import { maskForSend } from "../../services/content/filters.ts";
import { isUlid, normaliseUserId, SYSTEM_USER } from "../../services/core/ids.ts";
import { intQuery, readJson, requireUser } from "../middleware.ts";
import { readSendBody } from "./send_body.ts";
import { storeThumb } from "../../kv/media/thumbnails.ts";
import { searchDialog } from "../../kv/messaging/search.ts";
import { fold } from "../../services/core/fold.ts";
import { replyRef } from "../../kv/messaging/replies.ts";
import {
  AlreadySent,
  rememberSendId,
  sendIdGuard,
  sentBefore,
  validClientId,
} from "../../kv/messaging/send_ids.ts";

export const MAX_TEXT = 4000;

/** Trimmed message text, 1..4000 characters. */
export function validText(raw: unknown, allowEmpty = false): string {
  if (typeof raw !== "string") {
    if (allowEmpty && (raw === undefined || raw === null)) return "";
    throw badRequest("invalid_text", "text must be a string", "text");
  }
  const text = raw.trim();
  if (!text && !allowEmpty) throw badRequest("empty_text", "text must not be empty", "text");
  if ([...text].length > MAX_TEXT) {
    throw badRequest("text_too_long", `text must be at most ${MAX_TEXT} characters`, "text");
  }
  return text;
}

/** The `:peer` of a dialog route: a valid id that is not the caller. */
export function peerParam(me: string, raw: string): string {
  const peer = normaliseUserId(raw, "peer");
  if (peer === me) throw badRequest("self_dialog", "you cannot message yourself", "peer");
  return peer;
}

/** The `:peer` a message may be sent to: also not the reserved system sender. */
export function writablePeer(me: string, raw: string): string {
  const peer = peerParam(me, raw);
  if (peer === SYSTEM_USER) {
    throw badRequest("system_no_reply", "system messages cannot be answered", "peer");
  }
  return peer;
}

/**
 * `p`, with its rejection marked as handled: a read started early whose verdict is never asked
 * for (an earlier check refused the send) must not be an unhandled rejection. Awaiting it still
 * throws.
 */
function handled<T>(p: Promise<T>): Promise<T>;
function handled<T>(p: Promise<T> | undefined): Promise<T> | undefined;
function handled<T>(p: Promise<T> | undefined) {
  p?.catch(() => {});
  return p;
}

/** 404 for a peer the host's users-info callback says it does not have. */
const unknownUser = () =>
  new ApiError(404, "unknown_user", "the host site has no such user", "peer");

/** `/api/v1/dialogs`: the caller's dialogs, a dialog's history, sending, read receipts. */
export function dialogRoutes(deps: Deps) {
  const { kv, cfg } = deps;
  const app = new Hono<AppEnv>();
  app.use("*", requireUser(deps));

  app.get("/", async (c) => {
    const uid = c.get("uid");
    const limit = intQuery(c, "limit", 50, 1, 200);
    const cursor = c.req.query("cursor") || undefined;
    if (cursor && !parseDialogCursor(cursor)) {
      throw badRequest("invalid_cursor", "cursor is not one this API returned", "cursor");
    }
    const page = await listDialogs(kv, uid, { limit, cursor });
    const peers = page.dialogs.map((d) => d.peer);
    const [profiles, relations, presence] = await Promise.all([
      getProfiles(kv, cfg, peers),
      relationsOf(kv, uid, peers),
      visiblePresence(kv, uid, peers, true),
    ]);
    return c.json({
      dialogs: page.dialogs.map((d) => ({
        ...d,
        user: publicProfile(profiles.get(d.peer)!),
        ...relations.get(d.peer)!,
        ...presence.get(d.peer)!,
      })),
      next_cursor: page.next_cursor,
    });
  });

  app.post("/:peer/messages", async (c) => {
    const uid = c.get("uid");
    const peer = writablePeer(uid, c.req.param("peer"));
    const body = await readSendBody(c);
    const clientId = validClientId(body.client_id);
    const once = clientId ? sendIdGuard(uid, clientId) : null;
    try {
      // The reads a send makes before its commit (its client id, the sender's ban and both
      // sides' blocks, both profiles) go out together, as one getMany (kv/batch.ts); their
      // verdicts are still taken one by one, in this order.
      const reads = coalescedReads(kv);
      const sent = handled(once?.(reads));
      // Read now to refuse early, and checked inside the send's atomic (a ban or block that
      // commits meanwhile fails the check, and the retry reads again and refuses). The atomic's
      // first attempt reuses these reads: bans and blocks change rarely.
      const guard = reusedOnce(userSendGuard(cfg, uid, peer));
      const guarded = handled(guard(reads));
      // Only the cached profiles: a host is asked (getProfiles below) once the send passed the
      // checks before it, never for a send that is refused.
      const profiles = handled(readCachedProfiles(reads, [uid, peer]));
      // Read and counted inside the send's atomic (no commit of its own), where a sender over the
      // limit is refused (429).
      const rate = rateStep("messages", uid, cfg.rateLimits.messages);
      // What the send's atomic builds on (dialog sides, counters, the rate window), read now with
      // the rest, so group commit need not read it while others wait (kv/messaging/messages.ts).
      const ahead = handled(readForSend(kv, uid, peer, rate, reads));
      // A copy of a send already stored is answered at once, before any limit counts it.
      await sent;
      const reply_to = await replyRef(kv, uid, peer, body.reply_to);
      await guarded;
      // The count is judged inside the atomic; only an image send judges it now as well, to
      // refuse before its upload is stored.
      if (body.image) await rate?.(kv);
      const text = validText(body.text, body.image !== null);
      if (body.image) await enforceRate(kv, "uploads", uid, cfg.rateLimits.uploads);
      // An image's parts are stored while the sender is checked; any failure removes them.
      const staged = await stageAlongside(kv, body.image, { from: uid, to: peer }, async () => {
        const got = await getProfiles(kv, cfg, [uid, peer], await profiles);
        if (got.get(uid)!.error) throw forbidden("read_only", got.get(uid)!.error);
        if (got.get(peer)!.unknown) throw unknownUser();
      });
      if (staged && body.thumb) staged.attachment.thumb = body.thumb.meta;
      // Content filters: the recipient sees the masked text, the admin also the original.
      const filtered = maskForSend(text, cfg.filters);
      const message = await commitOrDiscard(kv, staged, () =>
        sendMessage(kv, {
          from: uid,
          to: peer,
          ...filtered,
          ...(staged ? { attachment: staged.attachment } : {}),
          reply_to,
          guard: allGuards(guard, staged && stagedGuard(staged), once),
          rate,
          ahead,
          also: allHooks(
            staged && commitStagedOps(staged),
            staged && body.thumb && storeThumb(staged.attachment.id, body.thumb),
            onMessageSent(cfg),
            clientId ? rememberSendId(uid, clientId) : null,
          ),
        }));
      return c.json({ message }, 201);
    } catch (e) {
      if (!(e instanceof AlreadySent)) throw e;
      return c.json({ message: await sentBefore(kv, uid, peer, e.messageId) }, 200);
    }
  });

  app.get("/:peer/messages", async (c) => {
    const uid = c.get("uid");
    const peer = peerParam(uid, c.req.param("peer"));
    const before = c.req.query("before") || undefined;
    if (before !== undefined && !isUlid(before)) {
      throw badRequest("invalid_before", "before must be a message id", "before");
    }
    const limit = intQuery(c, "limit", 30, 1, 200);
    const page = await listMessages(kv, uid, peer, { before, limit });
    if (before) return c.json(page);
    // The first page also describes the peer, so a dialog opened with someone new (openDialog(id))
    // shows their name and relation without another round trip; presence only across a
    // relationship (kv/people/visible_presence.ts).
    const [profiles, relations, presence] = await Promise.all([
      getProfiles(kv, cfg, [peer]),
      relationsOf(kv, uid, [peer]),
      visiblePresence(kv, uid, [peer]),
    ]);
    return c.json({
      ...page,
      peer: {
        user: publicProfile(profiles.get(peer)!),
        ...profiles.get(peer)!.unknown && { unknown: true },
        ...relations.get(peer)!,
        ...presence.get(peer)!,
      },
    });
  });

  // Search in the dialog's history: paged by a scan budget (kv/messaging/search.ts).
  app.get("/:peer/search", async (c) => {
    const uid = c.get("uid");
    const peer = peerParam(uid, c.req.param("peer"));
    const q = c.req.query("q") ?? "";
    if (!fold(q) || [...q].length > 100) {
      throw badRequest("invalid_q", "q must have 1 to 100 characters", "q");
    }
    const cursor = c.req.query("cursor") || undefined;
    if (cursor !== undefined && !isUlid(cursor)) {
      throw badRequest("invalid_cursor", "cursor is not one this API returned", "cursor");
    }
    const limit = intQuery(c, "limit", 20, 1, 50);
    return c.json(await searchDialog(kv, uid, peer, { q, cursor, limit }));
  });

  // Typing is refused like a send: banned, read-only, across a block (403).
  app.post("/:peer/typing", async (c) => {
    const uid = c.get("uid");
    const peer = writablePeer(uid, c.req.param("peer"));
    const guard = userSendGuard(cfg, uid, peer);
    // Both reads in one call, as a send's (kv/batch.ts); the guard's verdict first.
    const reads = coalescedReads(kv);
    const guarded = handled(guard(reads));
    const profiles = handled(readCachedProfiles(reads, [uid]));
    await guarded;
    const me = (await getProfiles(kv, cfg, [uid], await profiles)).get(uid)!;
    if (me.error) throw forbidden("read_only", me.error);
    await enforceRate(kv, "typing", uid, cfg.rateLimits.typing, "typing notices");
    await sendTyping(kv, uid, peer, guard);
    return c.json({ ok: true });
  });

  app.post("/:peer/read", async (c) => {
    const uid = c.get("uid");
    const peer = peerParam(uid, c.req.param("peer"));
    const body = await readJson(c);
    if (!isUlid(body.up_to)) {
      throw badRequest("invalid_up_to", "up_to must be a message id", "up_to");
    }
    await enforceRate(kv, "reads", uid, cfg.rateLimits.reads, "read markers");
    const read = await markRead(kv, uid, peer, body.up_to, onMessageRead(cfg));
    // The monitor's read/unread labels follow (the admin log, behind the commit like a send).
    await publishAdmin(kv, [{ type: "read", data: read }]);
    return c.json({ read });
  });

  return app;
}
