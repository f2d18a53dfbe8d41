/**
 * IP addresses and CIDR ranges for PARLEY_TRUSTED_IPS, and the client address behind N proxies.
 * Pure functions, no I/O. Every address is held as 16 bytes: IPv4 as its IPv4-mapped IPv6 form
 * (::ffff:a.b.c.d), so `127.0.0.1/32` matches a dual-stack socket's `::ffff:127.0.0.1` and
 * `::ffff:127.0.0.1` matches `127.0.0.1`.
 */

/** A parsed address: 16 bytes, IPv4 mapped into ::ffff:0:0/96. */
export type Ip = Uint8Array;

/** A range: its first address and how many leading bits must match (0..128). */
export interface Cidr {
  base: Ip;
  bits: number;
}

const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseV4(s: string): number[] | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    // No leading zeros: "010" is octal to some parsers and decimal to others.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

function parseV6(s: string): Ip | null {
  let tail: number[] = [];
  let head = s;
  // A trailing dotted quad (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) fills the last 32 bits.
  const lastColon = s.lastIndexOf(":");
  if (s.includes(".")) {
    const v4 = parseV4(s.slice(lastColon + 1));
    if (!v4) return null;
    tail = v4;
    head = s.slice(0, lastColon + 1);
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1);
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const words = 8 - tail.length / 2;
  const given = left.length + right.length;
  if (halves.length === 1 ? given !== words : given >= words) return null;
  const hex = [...left, ...Array(words - given).fill("0"), ...right];
  const out = new Uint8Array(16);
  for (let i = 0; i < hex.length; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(hex[i])) return null;
    const n = parseInt(hex[i], 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  }
  out.set(tail, 12);
  return out;
}

/**
 * Parses an address as it appears in a socket or an X-Forwarded-For entry: IPv4, IPv6, IPv6 in
 * brackets, with an optional port (`1.2.3.4:80`, `[::1]:80`) or zone (`fe80::1%eth0`). Null if
 * it is not an address.
 */
export function parseIp(raw: string): Ip | null {
  let s = raw.trim();
  if (!s || s.length > 64) return null;
  const bracket = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(s);
  if (bracket) s = bracket[1];
  else if (/^[0-9.]+:\d{1,5}$/.test(s)) s = s.slice(0, s.indexOf(":"));
  s = s.replace(/%[A-Za-z0-9_.-]+$/, "");
  if (!s.includes(":")) {
    const v4 = parseV4(s);
    return v4 ? new Uint8Array([...MAPPED_PREFIX, ...v4]) : null;
  }
  return parseV6(s);
}

/**
 * Parses one PARLEY_TRUSTED_IPS entry: an address (a range of one) or `address/bits`. IPv4
 * prefixes count IPv4 bits (`10.0.0.0/8`). Host bits past the prefix are ignored, as most tools
 * do. Throws with a readable reason.
 */
export function parseCidr(raw: string): Cidr {
  const s = raw.trim();
  const slash = s.indexOf("/");
  const addr = slash < 0 ? s : s.slice(0, slash);
  const base = parseIp(addr);
  if (!base || addr.includes("[") || addr.includes("%")) {
    throw new Error(`"${s}" is not an IP address or CIDR range`);
  }
  const isV4 = !addr.includes(":");
  const max = isV4 ? 32 : 128;
  let bits = max;
  if (slash >= 0) {
    const b = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b) || Number(b) > max) {
      throw new Error(`"${s}" has a prefix length that is not 0-${max}`);
    }
    bits = Number(b);
  }
  return { base, bits: isV4 ? bits + 96 : bits };
}

/** Parses every entry of a list; throws naming the first bad one. */
export function parseCidrs(list: string[]): Cidr[] {
  return list.map(parseCidr);
}

/** True when `ip` lies inside `range`. */
export function inCidr(ip: Ip, range: Cidr): boolean {
  let bits = range.bits;
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip[i] & mask) !== (range.base[i] & mask)) return false;
  }
  return true;
}

/** True when `ip` lies inside any of the ranges. */
export function isTrusted(ip: Ip | null, ranges: Cidr[]): boolean {
  return ip !== null && ranges.some((r) => inCidr(ip, r));
}

/**
 * The client's address. With no trusted proxies it is the connection's address and
 * X-Forwarded-For is ignored (anyone can send it). Behind `trustProxy` proxies, each proxy
 * appended the address it saw, so the header is read from the right, one hop per proxy, and only
 * while the address at hand is one of `proxies` (PARLEY_PROXY_IPS): a connection from anywhere
 * else is the client itself, whatever its header says. Entries further left were written by the
 * client and are ignored. A header with fewer entries than proxies did not come through the whole
 * chain, so the connection's address is used instead.
 */
export function clientIp(
  remote: string | undefined,
  forwardedFor: string | null | undefined,
  trustProxy: number,
  proxies: Cidr[],
): Ip | null {
  let addr = remote ? parseIp(remote) : null;
  if (trustProxy === 0 || !forwardedFor) return addr;
  const hops = forwardedFor.split(",").map((s) => s.trim()).filter(Boolean);
  if (hops.length < trustProxy) return addr;
  for (let i = 1; i <= trustProxy && isTrusted(addr, proxies); i++) {
    addr = parseIp(hops[hops.length - i]);
  }
  return addr;
}

/** Canonical text of an address, for logs and error messages (IPv4 printed as IPv4). */
export function formatIp(ip: Ip): string {
  if (MAPPED_PREFIX.every((b, i) => ip[i] === b)) return [...ip.slice(12)].join(".");
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((ip[i] << 8) | ip[i + 1]).toString(16));
  // Compress the longest run of zero words (RFC 5952).
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === "0") j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return words.join(":");
  return `${words.slice(0, best).join(":")}::${words.slice(best + bestLen).join(":")}`;
}
