/**
 * The worker behind kv/wal_checkpoint.ts: checkpoints one SQLite file's WAL on its own connection,
 * on its own thread, so Parley's KV writer does not (see there). Posts a message per round for
 * tests; stops when told.
 */
import { DatabaseSync } from "node:sqlite";

/// <reference lib="deno.worker" />

interface Start {
  path: string;
  busyMs: number;
  idleMs: number;
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

async function run({ path, busyMs, idleMs }: Start) {
  const db = new DatabaseSync(path);
  const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
  let wait = idleMs;
  let last = -1;
  try {
    while (!stopping) {
      const r = checkpoint.get() as { busy: number; log: number; checkpointed: number };
      self.postMessage({ log: r.log, checkpointed: r.checkpointed });
      // Frames were written since the last round: come back soon, else slow down to idle.
      const moved = r.log !== last || r.checkpointed < r.log;
      last = r.log;
      wait = moved ? busyMs : Math.min(idleMs, wait * 2);
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
