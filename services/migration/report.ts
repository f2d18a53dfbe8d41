/**
 * What an import did: per table the rows read, imported and skipped (with why), and the problems
 * by kind with a few examples each. The CLI prints it as a table, or as JSON with --json.
 */
import type { Problem, ProblemKind } from "./mapper.ts";
import type { Table } from "./reader.ts";

/** Examples kept per problem kind (the count is always exact). */
const EXAMPLES = 5;

export interface TableCounts {
  read: number;
  imported: number;
  skipped: number;
  /** Why rows were skipped without being a problem: already there, nothing to write. */
  skipped_because: Record<string, number>;
}

export interface ProblemSummary {
  count: number;
  examples: string[];
}

export class Report {
  readonly tables = {} as Record<Table, TableCounts>;
  readonly problems: Partial<Record<ProblemKind, ProblemSummary>> = {};
  /** Set by the runner: how long the messages took, for the rate. */
  messageSeconds = 0;
  seconds = 0;

  constructor(readonly dryRun: boolean) {}

  table(t: Table): TableCounts {
    return this.tables[t] ??= { read: 0, imported: 0, skipped: 0, skipped_because: {} };
  }

  problem(p: Problem): void {
    const s = this.problems[p.kind] ??= { count: 0, examples: [] };
    s.count++;
    if (s.examples.length < EXAMPLES) s.examples.push(`${p.row}: ${p.detail}`);
  }

  skip(t: Table, because: string, n = 1): void {
    const c = this.table(t);
    c.skipped += n;
    c.skipped_because[because] = (c.skipped_because[because] ?? 0) + n;
  }

  /** Messages per second over the message table (0 when none were read). */
  get rate(): number {
    const n = this.tables.messages?.read ?? 0;
    return n && this.messageSeconds ? Math.round(n / this.messageSeconds) : 0;
  }

  toJSON() {
    return {
      dry_run: this.dryRun,
      seconds: Math.round(this.seconds * 10) / 10,
      messages_per_second: this.rate,
      tables: this.tables,
      problems: this.problems,
    };
  }

  /** The human-readable report. */
  format(): string {
    const n = (x: number) => x.toLocaleString("en-US");
    const lines = [
      this.dryRun
        ? "Dry run: nothing was written. A real run would do this:"
        : `Import finished in ${this.seconds.toFixed(1)} s.`,
      "",
      `${"table".padEnd(20)}${"read".padStart(10)}${"imported".padStart(10)}${
        "skipped".padStart(10)
      }`,
    ];
    for (const [t, c] of Object.entries(this.tables)) {
      const why = Object.entries(c.skipped_because).map(([k, v]) => `${k}: ${n(v)}`).join(", ");
      lines.push(
        `${t.padEnd(20)}${n(c.read).padStart(10)}${n(c.imported).padStart(10)}${
          n(c.skipped).padStart(10)
        }${why ? `  (${why})` : ""}`,
      );
    }
    if (this.rate) lines.push("", `Messages: ${n(this.rate)} per second.`);
    const kinds = Object.entries(this.problems);
    lines.push("", kinds.length ? "Problems:" : "No problems.");
    for (const [kind, s] of kinds) {
      lines.push(`  ${kind}: ${n(s!.count)}`);
      for (const e of s!.examples) lines.push(`    ${e}`);
      if (s!.count > s!.examples.length) {
        lines.push(`    … and ${n(s!.count - s!.examples.length)} more`);
      }
    }
    return lines.join("\n");
  }
}
