/**
 * The heartbeats of every open event stream of this process, on one timer per interval. A timer
 * per stream cost far more than its writes: every due timer is one wake-up of the event loop, and
 * 5,000 idle streams on random 20 s timers woke it about 250 times a second (4-6 % of a core,
 * most of an idle server's cost). Here each beat joins one of up to SLOTS slots, the emptiest;
 * one timer visits one slot every interval / slots, so every beat still runs once per interval,
 * the streams of one burst (a restart, a bench) are spread over the interval instead of beating
 * in a herd, and the loop wakes `slots` times per interval however many streams are open.
 */

/** Slots per interval: at 20 s, one wake-up a second. */
const SLOTS = 20;
/** A slot's turn comes at most this often (short intervals, as tests set, get fewer slots). */
const MIN_TURN_MS = 100;

type Beat = () => void;

class Ticker {
  readonly #slots: Set<Beat>[];
  readonly #turnMs: number;
  #next = 0;
  #size = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(intervalMs: number) {
    const n = Math.max(1, Math.min(SLOTS, Math.floor(intervalMs / MIN_TURN_MS)));
    this.#slots = Array.from({ length: n }, () => new Set());
    this.#turnMs = intervalMs / n;
  }

  add(beat: Beat): () => void {
    let slot = this.#slots[0];
    for (const s of this.#slots) if (s.size < slot.size) slot = s;
    slot.add(beat);
    if (this.#size++ === 0) this.#timer = setInterval(() => this.#turn(), this.#turnMs);
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      slot.delete(beat);
      if (--this.#size === 0) clearInterval(this.#timer);
    };
  }

  #turn() {
    const slot = this.#slots[this.#next];
    this.#next = (this.#next + 1) % this.#slots.length;
    // A beat may end its stream (an expired session), which removes it: iterate a copy.
    for (const beat of [...slot]) {
      try {
        beat();
      } catch (e) {
        console.error("heartbeat failed", e);
      }
    }
  }
}

const tickers = new Map<number, Ticker>();

/**
 * Runs `beat` once every `intervalMs` (first within one interval) until the returned function is
 * called; beats of one interval share one timer.
 */
export function everyBeat(intervalMs: number, beat: Beat): () => void {
  let t = tickers.get(intervalMs);
  if (!t) tickers.set(intervalMs, t = new Ticker(intervalMs));
  return t.add(beat);
}
