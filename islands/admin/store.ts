/**
 * The page's shared state (live feed, names, counters). Subscriptions are narrow, so a burst of
 * live messages costs one list render per frame and no row re-render: the live list has its own
 * topic (useLive), each row listens only to its own ids (useName, useDeleted), and useStore is for
 * the rest (stats, connection, versions).
 */
import { useEffect, useState } from "preact/hooks";
import type { Message } from "../../kv/types.ts";
import { call } from "./api.ts";

export interface Profile {
  user_id: string;
  name: string;
  login: string;
  avatar_url: string | null;
}

/** A message as admins see it: the public shape plus the moderator-only fields. */
export interface Msg extends Message {
  original_text?: string;
  masked?: boolean;
}

export interface Stats {
  dialogs: { hour: number; day: number; week: number; month: number };
  complaints: { open: number };
}

/** How many live messages the monitor keeps (more once the admin pages back with "Load more"). */
export const LIVE_KEEP = 500;

/**
 * How long live messages wait to go on screen together. Each render costs style, layout and
 * paint of the list; measured with `deno task bench:admin`, one render per frame spent most of
 * the main thread there, one per 100 ms leaves it mostly idle and keeps every message under 1 s.
 */
const FLUSH_MS = 100;
/**
 * The render budget: most messages one frame adds. A bigger queue (a burst, a tab that was busy)
 * goes out over the next frames, MAX_BATCH each, so no single task inserts and lays out 50 rows
 * (bench:admin measured 95 ms tasks at 50 a render on an idle machine, far more under load).
 */
const MAX_BATCH = 20;

type Fn = () => void;

class Topics {
  #subs = new Map<string, Set<Fn>>();
  on(topic: string, fn: Fn): Fn {
    let set = this.#subs.get(topic);
    if (!set) this.#subs.set(topic, set = new Set());
    set.add(fn);
    return () => {
      set!.delete(fn);
      if (!set!.size) this.#subs.delete(topic);
    };
  }
  emit(topic: string) {
    const set = this.#subs.get(topic);
    if (set) { for (const fn of [...set]) fn(); }
  }
}

class Store {
  names = new Map<string, Profile>();
  deleted = new Set<string>();
  /** Newest first. */
  live: Msg[] = [];
  buffered: Msg[] = [];
  /** How many messages `live` may hold (grows as the admin loads older pages). */
  keep = LIVE_KEEP;
  /** Bumped on every live list change; views compare it instead of the array. */
  liveVersion = 0;
  paused = false;
  connected = false;
  stats: Stats | null = null;
  /** Bumped when complaints or bans change, so their views refetch. */
  complaintsVersion = 0;
  bansVersion = 0;
  readonly topics = new Topics();
  #pending: Msg[] = [];
  #flushScheduled = false;
  #wanted = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Everything but the live list and single rows (stats, connection, versions, names). */
  subscribe(fn: Fn): Fn {
    return this.topics.on("meta", fn);
  }

  changed() {
    this.topics.emit("meta");
  }

  /** Remembers profiles from an API answer's `users` map. */
  addNames(users: Record<string, Profile> | undefined) {
    if (!users) return;
    for (const [id, p] of Object.entries(users)) {
      const had = this.names.get(id);
      this.names.set(id, p);
      if (!had || had.name !== p.name || had.login !== p.login) this.topics.emit("name:" + id);
    }
    this.changed();
  }

  /** A user's display name; unknown ids are fetched in one batch shortly after. */
  name(id: string): string {
    const p = this.names.get(id);
    if (p) return p.name || p.login || id;
    this.#wanted.add(id);
    this.#timer ??= setTimeout(() => this.#fetchNames(), 200);
    return id;
  }

  async #fetchNames() {
    const ids = [...this.#wanted].slice(0, 100);
    for (const id of ids) this.#wanted.delete(id);
    this.#timer = undefined;
    if (!ids.length) return;
    // Placeholders first, so a failing lookup is not retried in a loop.
    for (const id of ids) {
      if (!this.names.has(id)) {
        this.names.set(id, { user_id: id, name: id, login: id, avatar_url: null });
      }
    }
    try {
      const r = await call<{ users: Record<string, Profile> }>("GET", "/api/v1/admin/profiles", {
        params: { ids: ids.join(",") },
      });
      this.addNames(r.users);
    } catch {
      // Ids stay as names; nothing else depends on it.
    }
    if (this.#wanted.size) this.#timer = setTimeout(() => this.#fetchNames(), 200);
  }

  /**
   * A message arrived live: queued, and the queue goes on screen at most every FLUSH_MS (a burst
   * of 200 messages a second is 5 renders, not 200), or held while the monitor is paused.
   */
  addLive(m: Msg) {
    if (this.paused) {
      this.buffered.unshift(m);
      if (this.buffered.length > this.keep) this.buffered.length = this.keep;
      this.changed();
      return;
    }
    this.#pending.push(m);
    // More than the list keeps would be cut off anyway (a hidden tab renders no frames).
    if (this.#pending.length > this.keep) this.#pending.shift();
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setTimeout(() => this.#flush(), FLUSH_MS);
  }

  /** Puts at most MAX_BATCH queued messages on screen; the rest follow one frame later each. */
  #flush() {
    if (!this.#flushScheduled) return;
    // A hidden tab paints nothing (and runs no animation frames): everything at once there.
    const batch = this.#pending.splice(0, document.hidden ? Infinity : MAX_BATCH).reverse();
    if (this.#pending.length) requestAnimationFrame(() => this.#flush());
    else this.#flushScheduled = false;
    if (!batch.length) return;
    const ids = new Set(batch.map((m) => m.id));
    this.live = [...batch, ...this.live.filter((x) => !ids.has(x.id))];
    if (this.live.length > this.keep) this.live.length = this.keep;
    this.#liveChanged();
  }

  /** Seeds the monitor with the newest messages (first load, or after a `reset`). */
  seedLive(msgs: Msg[]) {
    const seen = new Set(this.live.map((m) => m.id));
    this.live = [...this.live, ...msgs.filter((m) => !seen.has(m.id))]
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .slice(0, this.keep);
    this.#liveChanged();
  }

  /** Older messages from "Load more": appended, and the list may hold them. */
  addOlder(msgs: Msg[]) {
    this.keep = Math.max(this.keep, this.live.length + msgs.length);
    this.seedLive(msgs);
  }

  #liveChanged() {
    this.liveVersion++;
    this.topics.emit("live");
  }

  setPaused(paused: boolean) {
    this.paused = paused;
    if (!paused && this.buffered.length) {
      const held = this.buffered;
      this.buffered = [];
      for (const m of held.reverse()) this.addLive(m);
    }
    this.changed();
  }

  /** How far each reader has read each peer's messages ("reader\npeer" → up_to id). */
  #readUpTo = new Map<string, string>();

  /** A read receipt from the stream: rows of that dialog side re-render, no others. */
  markRead(reader: string, peer: string, upTo: string) {
    const key = `${reader}\n${peer}`;
    if ((this.#readUpTo.get(key) ?? "") >= upTo) return;
    this.#readUpTo.set(key, upTo);
    this.topics.emit("read:" + key);
  }

  /** Whether the recipient has read `m` (as loaded, or by a receipt that came since). */
  isRead(m: Msg): boolean {
    return Boolean(m.read_at) || (this.#readUpTo.get(`${m.to}\n${m.from}`) ?? "") >= m.id;
  }

  markDeleted(id: string) {
    this.deleted.add(id);
    this.topics.emit("deleted:" + id);
    this.changed();
  }
}

export const store = new Store();

function useTopic(topic: string) {
  const [, setTick] = useState(0);
  useEffect(() => store.topics.on(topic, () => setTick((n) => n + 1)), [topic]);
}

/** Re-renders the caller on stats, connection, version and name changes (not on live rows). */
export function useStore(): Store {
  useTopic("meta");
  return store;
}

/** The live list; re-renders the caller once per flushed batch. */
export function useLive(): Msg[] {
  useTopic("live");
  return store.live;
}

/** A user's display name; re-renders the caller only when that user's name arrives. */
export function useName(id: string): string {
  useTopic("name:" + id);
  return store.name(id);
}

/** Whether a message was read; re-renders the caller only on receipts of its dialog side. */
export function useRead(m: Msg): boolean {
  useTopic(`read:${m.to}\n${m.from}`);
  return store.isRead(m);
}

/** Whether a message was deleted; re-renders the caller only for that message. */
export function useDeleted(id: string): boolean {
  useTopic("deleted:" + id);
  return store.deleted.has(id);
}
