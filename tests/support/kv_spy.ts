/**
 * A spy on Deno.Kv's reads, for tests that count what a path reads. Install it before the KV
 * under test opens: Parley's handles bind the methods as they are then (kv/open.ts).
 */

/** One read going out or coming back, with the keys it named (JSON). */
export interface ReadMoment {
  what: "asked" | "answered";
  keys: string[];
}

export interface ReadSpy {
  /** One entry per get or getMany, in the order they were made: the keys each asked for. */
  calls: string[][];
  /** Every read as it went out and as it was answered, in order. */
  timeline: ReadMoment[];
  /** Forgets what was recorded so far. */
  clear(): void;
  /** Puts Deno.Kv's own methods back. */
  restore(): void;
}

/** Wraps Deno.Kv.prototype's get and getMany (a get is recorded as a list of one key). */
export function spyOnReads(): ReadSpy {
  const proto = Deno.Kv.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const getMany = proto.getMany, get = proto.get;
  const calls: string[][] = [];
  const timeline: ReadMoment[] = [];
  const wrap = (orig: (...a: unknown[]) => unknown, many: boolean) =>
    function (this: unknown, ...a: unknown[]) {
      const keys = (many ? a[0] as unknown[] : [a[0]]).map((k) => JSON.stringify(k));
      calls.push(keys);
      timeline.push({ what: "asked", keys });
      return (orig.apply(this, a) as Promise<unknown>).then((v) => {
        timeline.push({ what: "answered", keys });
        return v;
      });
    };
  proto.getMany = wrap(getMany, true);
  proto.get = wrap(get, false);
  return {
    calls,
    timeline,
    clear() {
      calls.length = 0;
      timeline.length = 0;
    },
    restore() {
      proto.getMany = getMany;
      proto.get = get;
    },
  };
}
