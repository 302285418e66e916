/** The bench's figures and aims, and the text table of them. */
import type { Summary } from "./stats";

/** One measured figure. */
export interface Figure {
  readonly section: string;
  readonly label: string;
  readonly unit: string;
  readonly summary: Summary;
  /** The previous build's figure (`baseline.ts`), when it has one. */
  readonly before?: number;
}

/** A target the figures are compared with. */
export interface Aim {
  readonly aim: string;
  readonly measured: string;
  readonly met: boolean;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
}

/** The figures as a table, one block per section, with the aims and the targets of `targets.title` below. */
export function table(
  figures: readonly Figure[],
  aims: readonly Aim[],
  targets: { readonly title: string; readonly before: string; readonly aims: readonly Aim[] },
): string {
  const header = ["figure", targets.before, "median", "min", "max", "runs", "unit"];
  const rows = figures.map((f) => [
    f.label,
    f.before === undefined ? "" : format(f.before),
    format(f.summary.median),
    format(f.summary.min),
    format(f.summary.max),
    String(f.summary.runs),
    f.unit,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const lines = [pad(header, widths), widths.map((w) => "-".repeat(w)).join("  ")];
  let section = "";
  figures.forEach((figure, i) => {
    if (figure.section !== section) {
      section = figure.section;
      lines.push(`[${section}]`);
    }
    lines.push(pad(rows[i] ?? [], widths));
  });
  const list = (title: string, items: readonly Aim[]): void => {
    lines.push("", `${title}:`);
    for (const aim of items) lines.push(`  ${aim.met ? "MET    " : "NOT MET"}  ${aim.aim}: ${aim.measured}`);
  };
  list("aims", aims);
  list(targets.title, targets.aims);
  return lines.join("\n");
}
