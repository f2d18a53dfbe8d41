/**
 * What the bench's V8 profilers (bench/cpu_profile.ts, bench/alloc_profile.ts) share: a call frame
 * named as "function file:line" (file relative to node_modules or the checkout), amounts summed by
 * function and by file, and the ranked table they print.
 */
export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

export class FrameTotals {
  readonly byFn = new Map<string, number>();
  readonly byFile = new Map<string, number>();
  total = 0;

  add(f: CallFrame, amount: number) {
    const file = f.url.replace(/^.*\/(node_modules|perf13|main)\//, "") || "(native)";
    const fn = `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}`;
    this.total += amount;
    this.byFn.set(fn, (this.byFn.get(fn) ?? 0) + amount);
    this.byFile.set(file, (this.byFile.get(file) ?? 0) + amount);
  }

  /** The `n` largest of `m`, a line each: the share of the total, `detail(amount)`, the name. */
  top(m: Map<string, number>, n: number, detail?: (amount: number) => string): string {
    return [...m].sort((a, b) => b[1] - a[1]).slice(0, n)
      .map(([k, v]) =>
        `${(100 * v / this.total).toFixed(1).padStart(5)} %  ${detail ? `${detail(v)}  ` : ""}${k}`
      )
      .join("\n");
  }
}
