/**
 * kv.watch on many single keys (users' log heads, session epochs), up to 10 keys per watch (KV's
 * limit per watch). A watch costs about 13 KB of memory whatever its size, so one per key was
 * most of an idle stream's cost. Joining or leaving restarts the group's watch (batched: a burst
 * of new streams restarts it once); a fresh watch first emits every current value, so nothing
 * that happened in between is missed, and each name hears only about its own key changing.
 */

/** Keys per kv.watch (KV's limit). */
const GROUP = 10;

interface Group {
  /** Name → the key watched for it. */
  names: Map<string, Deno.KvKey>;
  stop: (() => void) | null;
  restarting: boolean;
}

export class WatchGroups {
  #groupOf = new Map<string, Group>();
  /** Groups with room for another user. */
  #open = new Set<Group>();
  /** The last versionstamp each user's head was reported at (survives restarts). */
  #stamps = new Map<string, string | null>();

  constructor(
    private kv: Deno.Kv,
    private onHead: (name: string, value: unknown) => void,
  ) {}

  /** Starts watching `key` under `name` (once per name, however many listeners it has). */
  add(name: string, key: Deno.KvKey) {
    if (this.#groupOf.has(name)) return;
    let g = this.#open.values().next().value as Group | undefined;
    if (!g) this.#open.add(g = { names: new Map(), stop: null, restarting: false });
    g.names.set(name, key);
    if (g.names.size >= GROUP) this.#open.delete(g);
    this.#groupOf.set(name, g);
    this.#restartSoon(g);
  }

  /** Stops watching what `name` named. */
  remove(name: string) {
    const g = this.#groupOf.get(name);
    if (!g) return;
    this.#groupOf.delete(name);
    this.#stamps.delete(name);
    g.names.delete(name);
    if (g.names.size === 0) {
      this.#open.delete(g);
      g.stop?.();
      g.stop = null;
      return;
    }
    this.#open.add(g);
    this.#restartSoon(g);
  }

  #restartSoon(g: Group) {
    if (g.restarting) return;
    g.restarting = true;
    setTimeout(() => {
      g.restarting = false;
      g.stop?.();
      g.stop = null;
      if (g.names.size) this.#watch(g);
    }, 0);
  }

  #watch(g: Group) {
    const names = [...g.names.keys()];
    const reader = this.kv.watch<unknown[]>([...g.names.values()]).getReader();
    let stopped = false;
    g.stop = () => {
      stopped = true;
      reader.cancel().catch(() => {});
    };
    (async () => {
      try {
        while (true) {
          const { done, value } = await reader.read();
          if (done || stopped) break;
          value.forEach((entry, i) => {
            const name = names[i];
            if (!g.names.has(name) || this.#stamps.get(name) === entry.versionstamp) return;
            this.#stamps.set(name, entry.versionstamp);
            this.onHead(name, entry.value);
          });
        }
      } catch {
        // The watch ends when cancelled or when KV closes; nothing to do.
      }
    })();
  }

  /** Stops every watch. */
  close() {
    for (const g of new Set(this.#groupOf.values())) g.stop?.();
    this.#groupOf.clear();
    this.#open.clear();
    this.#stamps.clear();
  }
}
