/**
 * `window.Parley` (and its alias `window.StarCometChat`): the original Star.Comet-Chat calls plus
 * `on("unread", fn)`. Calls that need a signed-in user wait for init (openDialog is queued).
 */
import { boot } from "./boot.ts";
import { closePanel, openDialog } from "./panel_actions.ts";
import { setMuted } from "./sound.ts";
import { S, subscribe, unreadTotal } from "./store.ts";
import type { InitOptions } from "./types.ts";

/** What `on("unread", fn)` listeners receive. */
export interface UnreadCounts {
  total: number;
  by_user: Record<string, number>;
}

/** What `error` (option and `on("error", fn)`) receives: the API's code and message. */
export interface ParleyError {
  code: string;
  message: string;
}

// deno-lint-ignore no-explicit-any
type Listener = ((arg: any) => void) | undefined;

/** Builds the public object; `scriptBase` is where widget.js was loaded from. */
export function createParley(scriptBase: string) {
  const listeners: Record<string, Listener[]> = {};
  const queue: (() => void)[] = [];
  let started = false;
  let lastCounts = "";

  // A host's callback that throws is logged and does not stop the others.
  const emit = (type: string, arg?: unknown, fns = listeners[type] ?? []) => {
    for (const fn of fns) {
      try {
        fn?.(arg);
      } catch (e) {
        console.error(`Parley: ${type} failed`, e);
      }
    }
  };

  const whenReady = (fn: () => void) => (S.ready ? fn() : queue.push(fn));

  subscribe(() => {
    if (!S.ready) return;
    const byUser: Record<string, number> = {};
    for (const k in S.unread) if (S.unread[k] > 0) byUser[k] = S.unread[k];
    const key = JSON.stringify(byUser);
    if (key === lastCounts) return;
    lastCounts = key;
    emit("unread", { total: unreadTotal(), by_user: { ...byUser } });
  });

  const api = {
    /** Starts the chat for the signed-in user of the host site (the original's options). */
    init(o: InitOptions) {
      if (started) return console.warn("Parley: init was already called");
      started = true;
      boot(o, scriptBase).then(() => {
        emit("success", 0, [o.success]);
        for (const fn of queue.splice(0)) fn();
        if (o.open && !S.open) api.openDialog();
      }, (e) => {
        const err: ParleyError = { code: e?.code || "failed", message: e?.message || String(e) };
        console.error("Parley: could not start:", err.message || err.code);
        emit("error", err, [o.error, ...listeners.error ?? []]);
      });
    },
    /** Unread messages in total (valid after `success`). */
    countNewMessagesSum: (): number => unreadTotal(),
    /** Unread messages from one user. */
    countNewMessages: (userId: string | number): number => S.unread[String(userId)] ?? 0,
    /**
     * Opens the dialog with `userId`, or without one (or with the user's own id: there is no
     * dialog with oneself) the list, or on an original page its first dialog (`S.first`). Queued
     * until init has finished.
     */
    openDialog(userId?: string | number) {
      whenReady(() => {
        const id = String(userId ?? "");
        id && id != S.me!.user_id ? openDialog(id) : (S.first ?? openDialog)();
      });
    },
    /** Closes the chat panel. */
    closeChat: () => closePanel(),
    /** Switches the new-message sound off or on; returns true when sound is now on. */
    toggleSound(): boolean {
      setMuted(!S.muted);
      return !S.muted;
    },
    /**
     * Subscribes to "unread" ({total, by_user} on every change) or "error" ({code, message}: the
     * user could not be signed in, e.g. a bad user_key); returns an unsubscribe call.
     */
    on(type: string, fn: Listener) {
      (listeners[type] ??= []).push(fn);
      return () => {
        listeners[type] = listeners[type].filter((f) => f !== fn);
      };
    },
  };
  return api;
}
