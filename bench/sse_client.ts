/** A minimal SSE reader for thousands of streams in one process: frames, ids, reconnects. */
import type { Target } from "./target.ts";

export interface Delivery {
  /** The message's `text`, whose first word is the bench's tag for it. */
  text: string;
  to: string;
}

/** One user's stream; reopen() resumes from the last id seen (Last-Event-ID replay). */
export class UserStream {
  lastId: string | null = null;
  #abort: AbortController | null = null;
  /** Bumped by every open(): frames of an older connection still in flight are dropped. */
  #generation = 0;
  #reader: ReadableStreamDefaultReader<string> | null = null;

  constructor(
    private target: Target,
    readonly index: number,
    private onMessage: (d: Delivery) => void,
  ) {}

  /** Opens the stream and resolves once the server says it is live. */
  async open(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    const generation = ++this.#generation;
    const req = await this.target.stream(this.index, this.lastId);
    const res = await fetch(req.url, { headers: req.headers, signal: abort.signal });
    if (res.status !== 200) throw new Error(`stream of u${this.index}: ${res.status}`);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    this.#reader = reader;
    let ready!: () => void;
    const isReady = new Promise<void>((r) => ready = r);
    (async () => {
      let buf = "";
      try {
        while (true) {
          const { value, done } = await reader.read();
          if (done) break;
          if (generation !== this.#generation) break;
          buf += value;
          let k;
          while ((k = buf.indexOf("\n\n")) >= 0) {
            this.#frame(buf.slice(0, k), ready);
            buf = buf.slice(k + 2);
          }
        }
      } catch {
        // aborted
      }
    })();
    await isReady;
  }

  #frame(frame: string, ready: () => void) {
    if (this.target.isReady(frame)) ready();
    let id: string | null = null;
    let event = "message";
    let data = "";
    for (const line of frame.split("\n")) {
      if (line.startsWith("id: ")) id = line.slice(4);
      else if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data = line.slice(6);
    }
    if (id !== null) this.lastId = id;
    if (event !== "message" || !data) return;
    const d = JSON.parse(data);
    this.onMessage({ text: d.text, to: d.to });
  }

  close() {
    // An abort alone does not always stop a body already being read: cancel the reader too.
    this.#generation++;
    this.#reader?.cancel().catch(() => {});
    this.#reader = null;
    this.#abort?.abort();
    this.#abort = null;
  }
}
