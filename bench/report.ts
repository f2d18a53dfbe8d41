/** The bench's two outputs: a short table for people, and the full results as JSON. */
import { type Percentiles, SETTLED_S, sum, type TargetResult } from "./workload.ts";

const f = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined || Number.isNaN(n) ? "—" : n.toFixed(digits);
const pct = (p: Percentiles, digits = 1) => `${f(p.p50, digits)} / ${f(p.p99, digits)}`;

/** Rows of metrics, one column per target; the last columns are Parley's ratio to each peer. */
export function table(results: TargetResult[]): string {
  const rows: [string, (r: TargetResult) => string][] = [
    ["RSS per connection, KB (just opened)", (r) => f(r.rssPerConnectionKb, 0)],
    ["RSS per connection, KB (settled, idle phase)", (r) => f(r.rssPerIdleConnectionKb, 0)],
    [
      `idle: server CPU, % of a core (whole phase / its last ${SETTLED_S} s)`,
      (r) =>
        r.idle ? `${f(r.idle.serverCpuPctOfCore, 2)} / ${f(r.idle.settledCpuPctOfCore, 2)}` : "—",
    ],
    ["idle: storage ops/s", (r) => f(r.idle?.storageOpsPerS, 1)],
  ];
  const phases = results[0]?.phases.map((p) => p.phase) ?? [];
  for (const [k, name] of phases.entries()) {
    const at = (r: TargetResult) => r.phases[k];
    rows.push(
      [`${name}: msg/s`, (r) => f(at(r)?.msgPerS, 0)],
      [`${name}: send p50 / p99 ms`, (r) => (at(r) ? pct(at(r).sendMs) : "—")],
      [`${name}: delivery p50 / p95 / p99 / max ms`, (r) => {
        const d = at(r)?.deliveryMs;
        return d ? `${f(d.p50)} / ${f(d.p95)} / ${f(d.p99)} / ${f(d.max, 0)}` : "—";
      }],
      [`${name}: worst second's p99 ms / seconds with p99 > 25 ms`, (r) => {
        const t = at(r)?.timeline;
        if (!t?.length) return "—";
        const worst = Math.max(...t.map((x) => x.p99));
        return `${f(worst, 0)} / ${t.filter((x) => x.p99 > 25).length} of ${t.length}`;
      }],
      [`${name}: loop stalls >= 10 ms, total ms: server / client`, (r) => {
        const t = at(r)?.timeline;
        if (!t?.length) return "—";
        const server = t[0].serverStallsMs === null
          ? "—"
          : f(sum(t.flatMap((x) => x.serverStallsMs ?? [])), 0);
        return `${server} / ${f(sum(t.flatMap((x) => x.clientStallsMs)), 0)}`;
      }],
      [`${name}: server JS thread in GC, ms: scavenges / major GCs (seconds with one)`, (r) => {
        const t = at(r)?.timeline;
        if (!t?.length || t[0].scavengeMs === null) return "—";
        const major = t.filter((x) => (x.majorGcMs ?? 0) > 0).length;
        const total = (k: "scavengeMs" | "majorGcMs") => f(sum(t.map((x) => x[k] ?? 0)), 0);
        return `${total("scavengeMs")} / ${total("majorGcMs")} (${major})`;
      }],
      [`${name}: server CPU ms/msg`, (r) => f(at(r)?.serverCpuMsPerMsg, 2)],
      [`${name}: client CPU ms/msg`, (r) => f(at(r)?.clientCpuMsPerMsg, 2)],
      [`${name}: storage ops/send`, (r) => f(at(r)?.storageOpsPerSend, 1)],
      [`${name}: failed sends`, (r) => String(at(r)?.failed ?? "—")],
      [`${name}: load average`, (r) => f(at(r)?.load, 2)],
    );
  }
  rows.push(["lost / duplicated", (r) => `${r.lost} / ${r.duplicated}`]);
  const head = ["", ...results.map((r) => r.target)];
  const body = rows.map(([label, get]) => [label, ...results.map(get)]);
  const widths = head.map((_, c) => Math.max(...[head, ...body].map((row) => row[c].length)));
  const line = (row: string[]) =>
    `| ${
      row.map((cell, c) => c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])).join(" | ")
    } |`;
  return [
    line(head),
    `|${
      widths.map((w, c) => (c === 0 ? "-" : "") + "-".repeat(w + 1) + (c === 0 ? "" : ":")).join(
        "|",
      )
    }|`,
    ...body.map(line),
  ].join("\n");
}

/** Parley's throughput, CPU and delivery compared with each peer, phase by phase. */
export function ratios(results: TargetResult[]): string[] {
  const parley = results.find((r) => r.target === "parley");
  if (!parley) return [];
  const out: string[] = [];
  for (const peer of results.filter((r) => r !== parley)) {
    for (const [k, p] of parley.phases.entries()) {
      const q = peer.phases[k];
      if (!q) continue;
      out.push(
        `${p.phase}: Parley ÷ ${peer.target}: throughput ×${f(p.msgPerS / q.msgPerS, 2)}, ` +
          `CPU per message ×${f(p.serverCpuMsPerMsg / q.serverCpuMsPerMsg, 1)}, ` +
          `delivery p99 ×${f(p.deliveryMs.p99 / q.deliveryMs.p99, 1)}`,
      );
    }
    const settled = parley.rssPerIdleConnectionKb !== null && peer.rssPerIdleConnectionKb !== null
      ? `, settled ×${f(parley.rssPerIdleConnectionKb / peer.rssPerIdleConnectionKb, 1)}`
      : "";
    out.push(
      `RSS per connection: Parley ÷ ${peer.target} ×${
        f(parley.rssPerConnectionKb / peer.rssPerConnectionKb, 1)
      } just opened${settled}`,
    );
  }
  return out;
}
