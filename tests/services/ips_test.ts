import assert from "node:assert/strict";
import {
  clientIp,
  formatIp,
  inCidr,
  isTrusted,
  parseCidr,
  parseCidrs,
  parseIp,
} from "../../services/host/ips.ts";

const ip = (s: string) => {
  const p = parseIp(s);
  if (!p) throw new Error(`test address ${s} did not parse`);
  return p;
};
const fmt = (s: string) => {
  const p = parseIp(s);
  return p ? formatIp(p) : null;
};

Deno.test("ips: IPv4 and IPv6 addresses parse to one canonical form", () => {
  assert.equal(fmt("127.0.0.1"), "127.0.0.1");
  assert.equal(fmt(" 10.20.30.40 "), "10.20.30.40");
  assert.equal(fmt("::1"), "::1");
  assert.equal(fmt("::"), "::");
  assert.equal(fmt("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  assert.equal(fmt("2001:db8::"), "2001:db8::");
  assert.equal(fmt("fe80::1:0:0:2"), "fe80::1:0:0:2");
  assert.equal(fmt("1:0:0:2:0:0:0:3"), "1:0:0:2::3");
  // IPv4-mapped IPv6 is the same address as the IPv4 one.
  assert.equal(fmt("::ffff:127.0.0.1"), "127.0.0.1");
  assert.equal(fmt("::FFFF:7f00:1"), "127.0.0.1");
  assert.deepEqual(ip("::ffff:192.0.2.7"), ip("192.0.2.7"));
  // Other embedded-IPv4 forms stay IPv6.
  assert.equal(fmt("64:ff9b::192.0.2.33"), "64:ff9b::c000:221");
});

Deno.test("ips: ports, brackets and zones as sockets and proxies write them", () => {
  assert.equal(fmt("203.0.113.5:443"), "203.0.113.5");
  assert.equal(fmt("[2001:db8::5]:8080"), "2001:db8::5");
  assert.equal(fmt("[::1]"), "::1");
  assert.equal(fmt("fe80::1%eth0"), "fe80::1");
});

Deno.test("ips: garbage is not an address", () => {
  for (
    const bad of [
      "",
      "localhost",
      "1.2.3",
      "1.2.3.4.5",
      "256.1.1.1",
      "01.2.3.4",
      "1.2.3.-4",
      "1:2:3:4:5:6:7:8:9",
      "1::2::3",
      ":::",
      "12345::",
      "g::1",
      "::ffff:1.2.3",
      "1:2:3:4:5:6:7:1.2.3.4",
      "unknown",
      "1.2.3.4 5.6.7.8",
    ]
  ) {
    assert.equal(parseIp(bad), null, `"${bad}" should not parse`);
  }
});

Deno.test("ips: CIDR ranges, IPv4 prefixes counting IPv4 bits", () => {
  const net = parseCidr("10.0.0.0/8");
  assert.equal(inCidr(ip("10.255.1.2"), net), true);
  assert.equal(inCidr(ip("11.0.0.1"), net), false);
  assert.equal(inCidr(ip("::ffff:10.1.1.1"), net), true);
  const odd = parseCidr("192.168.1.64/26");
  assert.equal(inCidr(ip("192.168.1.64"), odd), true);
  assert.equal(inCidr(ip("192.168.1.127"), odd), true);
  assert.equal(inCidr(ip("192.168.1.128"), odd), false);
  assert.equal(inCidr(ip("192.168.1.63"), odd), false);
  // A bare address is a range of one.
  const one = parseCidr("127.0.0.1");
  assert.equal(inCidr(ip("127.0.0.1"), one), true);
  assert.equal(inCidr(ip("127.0.0.2"), one), false);
  // Host bits past the prefix are ignored.
  assert.equal(inCidr(ip("10.9.9.9"), parseCidr("10.1.2.3/8")), true);
  // 0.0.0.0/0 is every IPv4 address and no IPv6 one.
  const v4all = parseCidr("0.0.0.0/0");
  assert.equal(inCidr(ip("8.8.8.8"), v4all), true);
  assert.equal(inCidr(ip("2001:db8::1"), v4all), false);
  assert.equal(inCidr(ip("2001:db8::1"), parseCidr("::/0")), true);
});

Deno.test("ips: IPv6 ranges and IPv4-mapped entries", () => {
  const doc = parseCidr("2001:db8::/32");
  assert.equal(inCidr(ip("2001:db8:ffff::1"), doc), true);
  assert.equal(inCidr(ip("2001:db9::1"), doc), false);
  const nibble = parseCidr("2001:db8:abcd:12::/60");
  assert.equal(inCidr(ip("2001:db8:abcd:1f::1"), nibble), true);
  assert.equal(inCidr(ip("2001:db8:abcd:20::1"), nibble), false);
  // A mapped entry in the list matches the plain IPv4 client and vice versa.
  assert.equal(inCidr(ip("127.0.0.1"), parseCidr("::ffff:127.0.0.1")), true);
  assert.equal(inCidr(ip("::ffff:127.0.0.1"), parseCidr("127.0.0.1/32")), true);
  assert.equal(inCidr(ip("127.0.0.1"), parseCidr("::ffff:127.0.0.0/104")), true);
  // ::1 is not 127.0.0.1.
  assert.equal(inCidr(ip("127.0.0.1"), parseCidr("::1")), false);
  assert.equal(inCidr(ip("::1"), parseCidr("127.0.0.1")), false);
});

Deno.test("ips: bad list entries are refused with the entry named", () => {
  assert.throws(
    () => parseCidr("10.0.0.0/33"),
    /"10\.0\.0\.0\/33" has a prefix length that is not 0-32/,
  );
  assert.throws(() => parseCidr("::/129"), /not 0-128/);
  assert.throws(() => parseCidr("10.0.0.0/"), /prefix length/);
  assert.throws(() => parseCidr("10.0.0.0/x"), /prefix length/);
  assert.throws(
    () => parseCidr("example.com"),
    /"example\.com" is not an IP address or CIDR range/,
  );
  assert.throws(() => parseCidr("[::1]"), /not an IP address/);
  assert.throws(() => parseCidrs(["127.0.0.1", "nope/8"]), /"nope\/8"/);
  assert.equal(isTrusted(null, parseCidrs(["0.0.0.0/0", "::/0"])), false);
  assert.equal(isTrusted(ip("1.1.1.1"), []), false);
});

Deno.test("ips: X-Forwarded-For counts only with trusted proxies, from the right", () => {
  const proxies = parseCidrs(["10.0.0.0/24"]);
  const show = (r: string | undefined, xff: string | null, n: number) => {
    const p = clientIp(r, xff, n, proxies);
    return p ? formatIp(p) : null;
  };
  // No trusted proxy: the header is ignored, whatever it says.
  assert.equal(show("198.51.100.9", "10.0.0.1", 0), "198.51.100.9");
  // One proxy: it appended the client's address last; entries to its left are the client's own.
  assert.equal(show("10.0.0.2", "203.0.113.7", 1), "203.0.113.7");
  assert.equal(show("10.0.0.2", "127.0.0.1, 203.0.113.7", 1), "203.0.113.7");
  // Two proxies: the second from the right.
  assert.equal(show("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.3", 2), "203.0.113.7");
  assert.equal(show("10.0.0.2", "203.0.113.7,10.0.0.3", 2), "203.0.113.7");
  // Fewer entries than proxies: the request skipped the chain; use the connection.
  assert.equal(show("198.51.100.9", "127.0.0.1", 2), "198.51.100.9");
  // No header behind a proxy: the connection.
  assert.equal(show("10.0.0.2", null, 1), "10.0.0.2");
  assert.equal(show("10.0.0.2", "", 1), "10.0.0.2");
  // Ports and IPv6 in the header.
  assert.equal(show("10.0.0.2", "[2001:db8::7]:5555", 1), "2001:db8::7");
  // A garbage hop is no address (so never trusted).
  assert.equal(show("10.0.0.2", "unknown", 1), null);
  assert.equal(show(undefined, null, 0), null);
});

Deno.test("ips: X-Forwarded-For counts only on connections from PARLEY_PROXY_IPS", () => {
  const show = (r: string, xff: string, n: number, list: string[]) => {
    const p = clientIp(r, xff, n, parseCidrs(list));
    return p ? formatIp(p) : null;
  };
  // The reproduction: another local process (127.0.0.2) claims to be 127.0.0.1.
  assert.equal(show("127.0.0.2", "127.0.0.1", 1, ["127.0.0.1", "::1"]), "127.0.0.2");
  assert.equal(show("127.0.0.1", "203.0.113.7", 1, ["127.0.0.1", "::1"]), "203.0.113.7");
  assert.equal(show("::ffff:127.0.0.1", "203.0.113.7", 1, ["127.0.0.1"]), "203.0.113.7");
  assert.equal(show("::1", "203.0.113.7", 1, ["127.0.0.1", "::1"]), "203.0.113.7");
  // Two proxies: each hop is read only while the address at hand is a configured proxy.
  const chain = ["10.0.0.2", "10.0.0.3"];
  assert.equal(show("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.3", 2, chain), "203.0.113.7");
  // The second hop is not a proxy: it is the client, and what it wrote to its left is ignored.
  assert.equal(show("10.0.0.2", "6.6.6.6, 203.0.113.7, 198.51.100.1", 2, chain), "198.51.100.1");
  assert.equal(show("198.51.100.1", "6.6.6.6, 10.0.0.3", 2, chain), "198.51.100.1");
});
