import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { machineFacts } from "./report/machine.js";
import { type Figure, isMet, printReport } from "./report/report.js";
import type { Suite } from "./suite.js";
import { appendSuite, recoverySuite } from "./suites/durability.js";
import { applySuite, scaleSuite } from "./suites/engine.js";
import { httpSuite } from "./suites/http.js";
import { kafkaSuite } from "./suites/kafka.js";
import { validationSuite } from "./suites/validation.js";

const SUITES: readonly Suite[] = [
  validationSuite,
  applySuite,
  scaleSuite,
  appendSuite,
  recoverySuite,
  httpSuite,
  kafkaSuite,
];

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string", multiple: true },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log(`Usage: pnpm bench [--quick] [--only <suite>]...

Runs Sibyl's benchmarks; every figure is printed beside a baseline measured in the same run, with the ratio.
  --quick   a small version that runs in seconds (a smoke test; figures are not meaningful)
  --only    run only the named suites: ${SUITES.map((suite) => suite.name).join(", ")}
Results are written to bench/results/<date>-<commit>.json and .md at the repository root.`);
  process.exit(0);
}

const selected = SUITES.filter((suite) => !values.only || values.only.includes(suite.name));
const unknown = (values.only ?? []).filter((name) => !SUITES.some((suite) => suite.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown suite(s): ${unknown.join(", ")}; known: ${SUITES.map((suite) => suite.name).join(", ")}`,
  );
  process.exit(2);
}

const machine = machineFacts();
const reports: { suite: string; title: string; figures: Figure[] }[] = [];
for (const suite of selected) {
  console.log(`\nrunning ${suite.name}${values.quick ? " (quick)" : ""} …`);
  const figures = await suite.run({ quick: values.quick });
  printReport(suite.title, figures, machine);
  reports.push({ suite: suite.name, title: suite.title, figures });
}

const commit = gitCommit();
const date = new Date().toISOString().slice(0, 10);
const resultsDir = new URL("../../../bench/results/", import.meta.url);
mkdirSync(resultsDir, { recursive: true });
const base = new URL(`${date}-${commit}${values.quick ? "-quick" : ""}`, resultsDir);
writeFileSync(
  `${base.pathname}.json`,
  `${JSON.stringify({ date, commit, quick: values.quick, machine, reports }, null, 2)}\n`,
);
writeFileSync(`${base.pathname}.md`, markdown(reports));
console.log(`\nresults: ${base.pathname}.json and .md`);

function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    return "uncommitted";
  }
}

function markdown(all: typeof reports): string {
  const lines = [
    `# Sibyl benchmarks, ${date} (${commit})${values.quick ? ", quick" : ""}`,
    "",
    `Machine: ${machine.nproc} cpu × ${machine.cpu}, ${machine.memoryGiB} GiB, node ${machine.node}.`,
    "",
    "| suite | figure | value | baseline (same run) | ratio | target |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const report of all) {
    for (const entry of report.figures) {
      const target = entry.target
        ? `${entry.target.op} ${entry.target.ratio}× (${isMet(entry) ? "met" : "not met"})`
        : "";
      lines.push(
        `| ${report.suite} | ${entry.name} | ${Math.round(entry.value).toLocaleString("en-US")} ${entry.unit} | ${entry.baselineName} ${Math.round(entry.baseline).toLocaleString("en-US")} ${entry.unit} | ${entry.ratio.toFixed(2)}× | ${target} |`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
