/**
 * The outbox: every text message goes here first and is sent from here, in order, until the
 * server has stored it. It is kept in localStorage under the user's id, so what was typed offline
 * or in a tab that was reloaded or closed is sent once the widget runs again. Each message has a
 * `client_id` (kv/messaging/send_ids.ts), so a copy sent again after a lost answer is stored once.
 * A network failure, a 5xx, 408 or 429 is tried again with growing pauses (and at once when the
 * browser is back online) until MAX_TRIES; any other refusal gives up at once with its reason.
 * A message given up stays, marked "not sent", with Retry and Remove.
 */
import { type ApiErr, clientId, passing } from "../widget/api_error.ts";
import type { Message, ReplyRef } from "../../kv/types.ts";
import {
  absorb,
  call,
  dialogPath,
  errorText,
  S,
  sendFailed,
  update,
} from "../widget_extra/core.ts";

/** One message waiting in the outbox. */
export interface Entry {
  cid: string;
  peer: string;
  text: string;
  reply?: ReplyRef;
  /** When it was written (ISO). */
  at: string;
  tries: number;
  /** Given up: why (shown under it). */
  failed?: string;
}

/** Tries before giving up on a failure that may pass (about two minutes of pauses). */
export const MAX_TRIES = 8;
const key = () => "parley:outbox:" + S.opts.user_id;

let box: Entry[] = [];
let busy = false;
let timer: ReturnType<typeof setTimeout> | undefined;

function save() {
  try {
    localStorage.setItem(key(), JSON.stringify(box));
  } catch {
    // storage blocked or full: the outbox lasts for this page only
  }
}

/** Reads the outbox another tab or an earlier page left, and starts sending it. */
export function startOutbox() {
  const read = (json: string | null) => {
    try {
      box = JSON.parse(json || "[]");
    } catch {
      box = [];
    }
    update();
    pump();
  };
  read(localStorage.getItem(key()));
  // Another tab of this user changed it (sent one, added one): follow, so saves do not clash.
  addEventListener("storage", (e) => e.key === key() && read(e.newValue));
  addEventListener("online", () => pump());
}

/** The entry being sent, and the newest message of its dialog when its send began. */
let inflight: { e: Entry; after: string } | undefined;

/**
 * Whether the stored copy of the entry being sent came by the live stream before the POST
 * answered: then the dialog shows it already, and its clock bubble would be a second copy.
 */
const arrived = (e: Entry) =>
  inflight?.e === e &&
  (S.threads[e.peer]?.msgs ?? []).some((m) =>
    m.from === S.me?.user_id && m.id > inflight!.after && m.text === e.text
  );

/** The waiting messages of the dialog with `peer`, oldest first. */
export const waiting = (peer: string) => box.filter((e) => e.peer === peer && !arrived(e));

/** Puts a text message into the outbox and starts sending it. */
export function queue(peer: string, text: string, reply?: ReplyRef) {
  box.push({ cid: clientId(), peer, text, reply, at: new Date().toISOString(), tries: 0 });
  save();
  S.sendError = "";
  update();
  pump();
}

/** Sends a message given up on again (Retry), or drops it (Remove). */
export function retry(e: Entry, drop?: boolean) {
  if (drop) box = box.filter((x) => x !== e);
  else delete e.failed, e.tries = 0;
  save();
  update();
  pump();
}

/** Sends what waits, oldest first; one message at a time, so the dialog keeps their order. */
async function pump() {
  if (busy) return;
  busy = true;
  clearTimeout(timer);
  try {
    for (let e; (e = box.find((x) => !x.failed));) {
      if (!navigator.onLine) return;
      try {
        const body = { text: e.text, client_id: e.cid, reply_to: e.reply?.id };
        inflight = { e, after: S.threads[e.peer]?.msgs.at(-1)?.id ?? "" };
        const r = await call<{ message: Message }>("POST", `${dialogPath(e.peer)}/messages`, body)
          .finally(() => inflight = undefined);
        box = box.filter((x) => x !== e);
        absorb(r.message);
      } catch (err) {
        if (passing(err as ApiErr) && ++e.tries < MAX_TRIES) {
          // 1, 2, 4 … 30 s, or what a 429 asks for.
          const wait = (err as ApiErr).retryAfter * 1e3 || Math.min(2 ** (e.tries - 1), 30) * 1e3;
          timer = setTimeout(pump, wait);
          return;
        }
        e.failed = errorText(err);
        // It learns from the refusal (read-only, blocked) and says why under the composer too.
        sendFailed(e.peer, err);
      }
      save();
      update();
    }
  } finally {
    busy = false;
    save();
    update();
  }
}
