/**
 * The original Star.Comet-Chat's host callbacks, as they are in tests/fixtures/star-comet-chat/
 * backend-example/, served by PHP's built-in server from a copy in a temp dir. Options make the
 * copy what an owner's site would be: `trustedIp` edits config.php's `$trusted_ip` (as the
 * original told owners to), and `sessionWarnings` points PHP's sessions at a missing folder, so
 * config.php's `session_start()` prints its warnings (display_errors is on) before every answer.
 */
const FIXTURE = new URL("../fixtures/star-comet-chat/backend-example/", import.meta.url);

// The fixture's testIpOrDie() reads getConfArray("trusted_ip"), which only the chat's own
// config.php defines; this is that function for a site that keeps its setting in $trusted_ip.
const PREPEND = `<?php
function getConfArray($name) { global $trusted_ip; return $name === "trusted_ip" ? $trusted_ip : null; }
`;

export interface PhpHost {
  usersUrl: string;
  hashUrl: string;
  /** What the site's own page computes for `Parley.init`: the original's getUserHash($id). */
  hashOf(id: number): Promise<string>;
  close(): Promise<void>;
}

export async function startPhpHost(
  opts: { trustedIp?: string; sessionWarnings?: boolean; query?: string } = {},
): Promise<PhpHost> {
  const dir = await Deno.makeTempDir({ prefix: "parley-php-host-" });
  for (const name of ["config.php", "chat_get_users.php", "chat_get_user_hash.php"]) {
    let text = await Deno.readTextFile(new URL(name, FIXTURE));
    if (name === "config.php" && opts.trustedIp) {
      const edited = text.replace("$trusted_ip = false;", `$trusted_ip = "${opts.trustedIp}";`);
      if (edited === text) throw new Error("config.php no longer sets $trusted_ip = false");
      text = edited;
    }
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  await Deno.writeTextFile(`${dir}/prepend.php`, PREPEND);
  const sessions = opts.sessionWarnings ? `${dir}/no-such-folder` : dir;
  const ini = ["-d", `auto_prepend_file=${dir}/prepend.php`, "-d", `session.save_path=${sessions}`];
  const free = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = free.addr.port;
  free.close();
  const child = new Deno.Command("php", {
    args: [...ini, "-S", `127.0.0.1:${port}`, "-t", dir],
    stdout: "null",
    stderr: "null",
  }).spawn();
  for (let i = 0;; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch (e) {
      if (i > 400) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const base = `http://127.0.0.1:${port}`;
  const query = opts.query ? `?${opts.query}` : "";
  return {
    usersUrl: `${base}/chat_get_users.php${query}`,
    hashUrl: `${base}/chat_get_user_hash.php${query}`,
    async hashOf(id: number) {
      // The page echoes the hash, not the warnings PHP prints while computing it.
      const code =
        `ob_start(); include "config.php"; $h = getUserHash(${id}); ob_end_clean(); echo $h;`;
      const out = await new Deno.Command("php", { args: [...ini, "-r", code], cwd: dir }).output();
      return new TextDecoder().decode(out.stdout).trim();
    },
    async close() {
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(dir, { recursive: true });
    },
  };
}
