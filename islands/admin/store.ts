/** The page's shared state (live feed, names, counters) with a tiny subscribe/notify. */
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

/** How many live messages the monitor keeps on screen (older ones are in the other views). */
const LIVE_KEEP = 500;

class Store {
  names = new Map<string, Profile>();
  deleted = new Set<string>();
  live: Msg[] = [];
  buffered: Msg[] = [];
  paused = false;
  connected = false;
  stats: Stats | null = null;
  /** Bumped when complaints or bans change, so their views refetch. */
  complaintsVersion = 0;
  bansVersion = 0;
  #subs = new Set<() => void>();
  #wanted = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  subscribe(fn: () => void): () => void {
    this.#subs.add(fn);
    return () => this.#subs.delete(fn);
  }

  changed() {
    for (const fn of this.#subs) fn();
  }

  /** Remembers profiles from an API answer's `users` map. */
  addNames(users: Record<string, Profile> | undefined) {
    if (!users) return;
    for (const [id, p] of Object.entries(users)) this.names.set(id, p);
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

  /** A message arrived live: shown at once, or held while the monitor is paused. */
  addLive(m: Msg) {
    if (this.paused) this.buffered.unshift(m);
    else this.live = [m, ...this.live.filter((x) => x.id !== m.id)].slice(0, LIVE_KEEP);
    this.changed();
  }

  /** Seeds the monitor with the newest messages (first load, or after a `reset`). */
  seedLive(msgs: Msg[]) {
    const seen = new Set(this.live.map((m) => m.id));
    this.live = [...this.live, ...msgs.filter((m) => !seen.has(m.id))]
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .slice(0, LIVE_KEEP);
    this.changed();
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

  markDeleted(id: string) {
    this.deleted.add(id);
    this.changed();
  }
}

export const store = new Store();

/** Re-renders the calling component whenever the store changes. */
export function useStore(): Store {
  const [, setTick] = useState(0);
  useEffect(() => store.subscribe(() => setTick((n) => n + 1)), []);
  return store;
}
