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

/** What a timer beats: an object with a `beat` method (a stream), so a beat costs no closure. */
export interface Beater {
  beat(): void;
}

class Ticker {
  readonly #slots: Set<Beater>[];
  readonly #turnMs: number;
  #next = 0;
  #size = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(intervalMs: number) {
    const n = Math.max(1, Math.min(SLOTS, Math.floor(intervalMs / MIN_TURN_MS)));
    this.#slots = Array.from({ length: n }, () => new Set());
    this.#turnMs = intervalMs / n;
  }

  add(b: Beater) {
    if (this.#slots.some((s) => s.has(b))) return;
    let slot = this.#slots[0];
    for (const s of this.#slots) if (s.size < slot.size) slot = s;
    slot.add(b);
    if (this.#size++ === 0) this.#timer = setInterval(() => this.#turn(), this.#turnMs);
  }

  /** Removes `b` (a no-op when it is not there); the slots are few, so each is asked. */
  remove(b: Beater) {
    if (!this.#slots.some((s) => s.delete(b))) return;
    if (--this.#size === 0) clearInterval(this.#timer);
  }

  #turn() {
    const slot = this.#slots[this.#next];
    this.#next = (this.#next + 1) % this.#slots.length;
    // A beat may end its stream (an expired session), which removes it: iterate a copy.
    for (const b of [...slot]) {
      try {
        b.beat();
      } catch (e) {
        console.error("heartbeat failed", e);
      }
    }
  }
}

const tickers = new Map<number, Ticker>();

/**
 * Beats `b` once every `intervalMs` (first within one interval) until stopBeat; beaters of one
 * interval share one timer. Adding one twice changes nothing.
 */
export function startBeat(intervalMs: number, b: Beater): void {
  let t = tickers.get(intervalMs);
  if (!t) tickers.set(intervalMs, t = new Ticker(intervalMs));
  t.add(b);
}

/** Stops beating `b` (harmless when it was stopped already). */
export function stopBeat(intervalMs: number, b: Beater): void {
  tickers.get(intervalMs)?.remove(b);
}
