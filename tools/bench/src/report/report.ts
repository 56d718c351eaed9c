import { type MachineFacts, machineFacts } from "./machine.js";

export interface Figure {
  name: string;
  value: number;
  unit: string;
  baselineName: string;
  baseline: number;
  /** value / baseline. */
  ratio: number;
  /** The target from targets.md, e.g. ">= 2". */
  target?: { op: ">=" | "<="; ratio: number };
}

export function figure(
  name: string,
  value: number,
  unit: string,
  baselineName: string,
  baseline: number,
  target?: Figure["target"],
): Figure {
  return target === undefined
    ? { name, value, unit, baselineName, baseline, ratio: value / baseline }
    : { name, value, unit, baselineName, baseline, ratio: value / baseline, target };
}

export function isMet(entry: Figure): boolean | undefined {
  if (!entry.target) return undefined;
  return entry.target.op === ">=" ? entry.ratio >= entry.target.ratio : entry.ratio <= entry.target.ratio;
}

/** Prints a benchmark's figures as a table with the machine facts; returns what it printed as data. */
export function printReport(title: string, figures: readonly Figure[], facts: MachineFacts = machineFacts()) {
  console.log(`\n${title}`);
  console.log(
    `machine: ${facts.nproc} cpu × ${facts.cpu}, ${facts.memoryGiB} GiB, node ${facts.node}, ${facts.platform}`,
  );
  const rows = figures.map((entry) => {
    const met = isMet(entry);
    return [
      entry.name,
      `${format(entry.value)} ${entry.unit}`,
      `${entry.baselineName} ${format(entry.baseline)} ${entry.unit}`,
      `${entry.ratio.toFixed(2)}×`,
      entry.target ? `${entry.target.op} ${entry.target.ratio}× ${met ? "met" : "NOT met"}` : "",
    ];
  });
  const header = ["figure", "value", "baseline (same run)", "ratio", "target"];
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => row[column]!.length)),
  );
  for (const row of [header, widths.map((width) => "-".repeat(width)), ...rows]) {
    console.log(`| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`);
  }
  return { title, machine: facts, figures };
}

function format(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toPrecision(3);
}
