/**
 * The peer: nginx + the nchan module (Debian's `nginx`, `libnginx-mod-nchan`), one worker
 * process, each user on its own channel with replay by Last-Event-ID. With `redis`, messages are
 * stored in a redis-server of its own (`appendonly yes`, `appendfsync everysec`). Everything runs
 * from a temp dir on loopback ports; nothing of the system's nginx or redis is used.
 */
import { childrenOf, freePort, waitForPort } from "./proc.ts";
import { spawnLogged, stopChild, type Target } from "./target.ts";

const MODULE = "/usr/lib/nginx/modules/ngx_nchan_module.so";

function nginxConf(dir: string, port: number, redisPort: number | null): string {
  const store = redisPort ? "nchan_redis_pass parley_bench_redis;" : "";
  const channel = `nchan_message_buffer_length 1000; nchan_message_timeout 1h; ${store}`;
  return `load_module ${MODULE};
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 19000; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ${
    redisPort
      ? `upstream parley_bench_redis { nchan_redis_server redis://127.0.0.1:${redisPort}; }`
      : ""
  }
  server {
    listen 127.0.0.1:${port};
    # One request publishes a message to the sender's and the recipient's channels.
    location ~ ^/pub/(\\w+)/(\\w+)$ { nchan_publisher; nchan_channel_id $1 $2; ${channel} }
    location ~ ^/sub/(\\w+)$ {
      nchan_subscriber eventsource; nchan_subscriber_first_message oldest; nchan_channel_id $1; ${channel}
    }
  }
}
`;
}

function redisConf(dir: string, port: number): string {
  return `port ${port}
bind 127.0.0.1
dir ${dir}
appendonly yes
appendfsync everysec
save ""
daemonize no
`;
}

/** Sends one command to redis over RESP and returns the raw reply text. */
async function redisCommand(port: number, ...args: string[]): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const req = `*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join("")}`;
  await conn.write(new TextEncoder().encode(req));
  let out = "";
  const buf = new Uint8Array(65536);
  const dec = new TextDecoder();
  while (true) {
    const n = await conn.read(buf);
    if (n === null) break;
    out += dec.decode(buf.subarray(0, n));
    const m = /^\$(\d+)\r\n/.exec(out);
    if (m && out.length >= m[0].length + Number(m[1]) + 2) break;
    if (!m && out.endsWith("\r\n") && !out.startsWith("$")) break;
  }
  conn.close();
  return out;
}

/** The publish/subscribe half both pub/sub peers share (nchan, and Deno's floor). */
function pubSubCalls(port: () => number) {
  return {
    stream(i: number, lastEventId: string | null) {
      return {
        url: `http://127.0.0.1:${port()}/sub/u${i}`,
        headers: {
          accept: "text/event-stream",
          ...(lastEventId ? { "last-event-id": lastEventId } : {}),
        },
      };
    },
    isReady: (frame: string) => frame.startsWith(": hi"),
    async send(a: number, b: number, text: string, image: Uint8Array<ArrayBuffer> | null) {
      const data: Record<string, unknown> = { from: `u${a}`, to: `u${b}`, text };
      // The same bytes travel as with Parley: the image goes with the message, base64.
      if (image) data.image = btoa(String.fromCharCode(...image));
      const res = await fetch(`http://127.0.0.1:${port()}/pub/u${a}/u${b}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(data),
      });
      await res.body?.cancel();
      return res.status === 201 || res.status === 202;
    },
  };
}

/** Deno's own floor: bench/floor_server.ts, the same pub/sub in a bare Deno.serve. */
export function denoFloorTarget(dir: string): Target {
  let child: Deno.ChildProcess | null = null;
  let port = 0;
  return {
    name: "deno-floor",
    describe: `bare Deno.serve SSE pub/sub in memory (deno ${Deno.version.deno}), the floor`,
    async start() {
      const ready = `${dir}/floor.ready`;
      child = spawnLogged(
        Deno.execPath(),
        ["run", "--allow-all", new URL("./floor_server.ts", import.meta.url).pathname],
        `${dir}/floor.log`,
        { BENCH_READY_FILE: ready },
      );
      while (!port) {
        port = Number(await Deno.readTextFile(ready).catch(() => "0"));
        if (!port) await new Promise((r) => setTimeout(r, 100));
      }
    },
    serverPids: () => (child ? [child.pid] : []),
    async prepareUsers() {},
    ...pubSubCalls(() => port),
    storageOps: () => Promise.resolve(null),
    async stop() {
      await stopChild(child);
      child = null;
    },
  };
}

export function nchanTarget(dir: string, redis: boolean): Target {
  let nginx: Deno.ChildProcess | null = null;
  let redisChild: Deno.ChildProcess | null = null;
  let port = 0;
  let redisPort = 0;
  const pids = () => {
    const out: number[] = [];
    if (nginx) out.push(nginx.pid, ...childrenOf(nginx.pid));
    if (redisChild) out.push(redisChild.pid);
    return out;
  };
  return {
    name: redis ? "nchan-redis" : "nchan-memory",
    describe: `nginx + nchan, 1 worker, ${
      redis ? "redis-server storage (appendonly yes, appendfsync everysec)" : "memory store"
    }`,
    async start() {
      const sub = `${dir}/${redis ? "nchan-redis" : "nchan-memory"}`;
      await Deno.mkdir(sub, { recursive: true });
      if (redis) {
        redisPort = freePort();
        await Deno.writeTextFile(`${sub}/redis.conf`, redisConf(sub, redisPort));
        redisChild = spawnLogged("redis-server", [`${sub}/redis.conf`], `${sub}/redis.log`);
        await waitForPort(redisPort);
      }
      port = freePort();
      await Deno.writeTextFile(`${sub}/nginx.conf`, nginxConf(sub, port, redis ? redisPort : null));
      nginx = spawnLogged("nginx", ["-c", `${sub}/nginx.conf`, "-p", sub], `${sub}/nginx.log`);
      await waitForPort(port);
    },
    serverPids: pids,
    async prepareUsers() {},
    ...pubSubCalls(() => port),
    async storageOps() {
      if (!redis) return null;
      const info = await redisCommand(redisPort, "INFO", "stats");
      return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? 0);
    },
    async stop() {
      await stopChild(nginx);
      await stopChild(redisChild);
      nginx = redisChild = null;
    },
  };
}
