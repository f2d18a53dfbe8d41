/**
 * Progress of an import on stderr: on a terminal a bar redrawn in place with the rate and the
 * time left; otherwise (a log file, CI) a plain line every few seconds and one at each table's end.
 */

export interface Progress {
  start(table: string, total: number): void;
  advance(n: number): void;
  end(): void;
}

/** How often a plain progress line is written. */
const PLAIN_EVERY_MS = 5000;
/** How often the bar is redrawn. */
const BAR_EVERY_MS = 100;
const BAR_WIDTH = 24;

function duration(s: number): string {
  if (!Number.isFinite(s)) return "--:--";
  const t = Math.max(0, Math.round(s));
  const h = Math.floor(t / 3600);
  const mm = String(Math.floor((t % 3600) / 60)).padStart(2, "0");
  const ss = String(t % 60).padStart(2, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The writer's progress, shown as `bar` (terminal) or `plain` lines. */
export class StreamProgress implements Progress {
  #table = "";
  #total = 0;
  #done = 0;
  #started = 0;
  #shown = 0;
  readonly #enc = new TextEncoder();

  constructor(
    private readonly out: { writeSync(b: Uint8Array): number },
    private readonly bar: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  start(table: string, total: number): void {
    this.#table = table;
    this.#total = total;
    this.#done = 0;
    this.#started = this.now();
    this.#shown = 0;
    if (!this.bar) this.#write(`${table}: ${total.toLocaleString("en-US")} rows to read\n`);
  }

  advance(n: number): void {
    this.#done += n;
    const t = this.now();
    if (t - this.#shown < (this.bar ? BAR_EVERY_MS : PLAIN_EVERY_MS)) return;
    this.#shown = t;
    this.#write(this.bar ? `\r${this.line()}` : `${this.line()}\n`);
  }

  end(): void {
    this.#write(this.bar ? `\r${this.line()}\n` : `${this.line()}\n`);
  }

  /** One status line: table, bar (on a terminal), done/total, percent, rate, time left. */
  line(): string {
    const secs = Math.max(0.001, (this.now() - this.#started) / 1000);
    const rate = this.#done / secs;
    const frac = this.#total ? Math.min(1, this.#done / this.#total) : 1;
    const left = rate > 0 ? (this.#total - this.#done) / rate : Infinity;
    const n = (x: number) => Math.round(x).toLocaleString("en-US");
    const filled = Math.round(frac * BAR_WIDTH);
    const bar = this.bar ? ` [${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]` : "";
    return `${this.#table}${bar} ${n(this.#done)}/${n(this.#total)} ${Math.floor(frac * 100)}%` +
      ` ${n(rate)}/s ETA ${this.#done >= this.#total ? duration(0) : duration(left)}`;
  }

  #write(s: string) {
    this.out.writeSync(this.#enc.encode(s));
  }
}

/** Progress on stderr: a bar if it is a terminal, plain lines if not. */
export function stderrProgress(): Progress {
  return new StreamProgress(Deno.stderr, Deno.stderr.isTerminal());
}

/** No progress output (tests that run the importer in-process). */
export const silentProgress: Progress = { start() {}, advance() {}, end() {} };
