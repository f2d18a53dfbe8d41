/**
 * One Parley instance in a Web Worker (tests/user/instances_test.ts): its own KV handle on the
 * shared file, as Deno Deploy runs separate instances on one KV (nothing goes between them but
 * KV: Parley posts no BroadcastChannel).
 * Messages: {start: env} → {url}; {stop: true} → {stopped: true, group: what group commit did}.
 */
import { loadConfig } from "../../services/core/config.ts";
import { log } from "../../services/core/log.ts";
import { groupCommitStats } from "../../kv/group_commit.ts";
import { type Parley, startParley } from "../../server.ts";

log.quiet = true;
let parley: Parley | null = null;

self.onmessage = async (e: MessageEvent<{ start?: Record<string, string>; stop?: true }>) => {
  if (e.data.start) {
    parley = await startParley(loadConfig(e.data.start), { hostname: "127.0.0.1" });
    self.postMessage({ url: parley.url });
  } else if (e.data.stop) {
    const group = parley && groupCommitStats(parley.deps.kv);
    await parley?.close();
    self.postMessage({ stopped: true, group });
  }
};
