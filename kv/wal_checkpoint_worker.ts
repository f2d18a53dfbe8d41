/**
 * The worker behind kv/wal_checkpoint.ts: checkpoints one SQLite file's WAL on its own connection,
 * on its own thread, so Parley's KV writer does not (see there). Paced by how fast frames arrive:
 * each round copies about `frames` of them (well under SQLite's own 1,000-page trigger), so a
 * busy file is checkpointed every few tens of milliseconds and a quiet one about once a second,
 * never hundreds of small checkpoints (each one fsyncs the database). Posts a message per round
 * for tests; stops when told.
 */
import { DatabaseSync } from "node:sqlite";
import { nextWait, type Pace } from "./wal_checkpoint.ts";

/// <reference lib="deno.worker" />

interface Start extends Pace {
  path: string;
}

let stopping = false;
/** Ends the current pause early (a stop should not wait out an idle second). */
let wake = () => {};

self.onmessage = (e: MessageEvent<Start | "stop">) => {
  if (e.data === "stop") {
    stopping = true;
    wake();
    return;
  }
  run(e.data);
};

async function run(o: Start) {
  const db = new DatabaseSync(o.path);
  const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
  let wait = o.idleMs;
  let last = 0;
  let at = performance.now();
  try {
    while (!stopping) {
      const r = checkpoint.get() as { busy: number; log: number; checkpointed: number };
      self.postMessage({ log: r.log, checkpointed: r.checkpointed });
      // The WAL restarts from its start once all of it was copied back: then all of it is new.
      const fresh = r.log >= last ? r.log - last : r.log;
      last = r.log;
      const now = performance.now();
      wait = nextWait(fresh, now - at, o, wait);
      at = now;
      await new Promise<void>((res) => {
        const t = setTimeout(res, wait);
        wake = () => {
          clearTimeout(t);
          res();
        };
      });
    }
  } finally {
    db.close();
    self.postMessage("closed");
    self.close();
  }
}
