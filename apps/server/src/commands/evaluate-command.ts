import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { EngineOptions, Normalisation } from "@sibyl/engine";
import {
  EvaluationError,
  type EvaluationOptions,
  type EvaluationProgress,
  EvaluationInputError,
  evaluate,
  parseWhatIf,
  readEventLog,
  readEventsFile,
  summaryTable,
  type WhatIfPlacement,
  writeReport,
} from "@sibyl/evaluate";
import { Command, InvalidArgumentError, Option } from "commander";
import { UsageError } from "./data-dir.js";

interface EvaluateCommandOptions {
  dataDir?: string;
  protocol: "prequential" | "holdout";
  placement?: string[];
  whatIf?: string[];
  k: number;
  seed: number;
  folds: number;
  warmup: number;
  target?: string[];
  excludeSeen: boolean;
  context: "auto" | "last-item" | "none";
  normalisation?: Normalisation;
  engineOptions?: EngineOptions;
  timings: boolean;
  generatedAt?: string;
  out: string;
}

const repeatable = (value: string, previous: string[] = []) => [...previous, value];

function integer(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new InvalidArgumentError("must be an integer");
  return number;
}

function fraction(value: string): number {
  const number = Number(value);
  if (!(number >= 0 && number < 1))
    throw new InvalidArgumentError("must be a number from 0 up to (not including) 1");
  return number;
}

function engineOptionsJson(value: string): EngineOptions {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new InvalidArgumentError(`not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new InvalidArgumentError('must be a JSON object such as {"historyLength":128}');
  return parsed as EngineOptions;
}

const HELP = `
Protocols. prequential replays the events in time order and, before each
target event after the warm-up, asks every compared placement for K items
for that visitor, scores the list against the event's items, then applies
the event. holdout splits each visitor's interactions at random (--seed)
into --folds parts; for each fold it replays the other events, then asks for
K items per visitor, excluding their training items, and scores them against
the fold's target items.

Every run also measures two baselines: baseline:popular (most interactions
so far) and baseline:random (seeded). A --what-if file holds a
PlacementUpsert (or the same without event_type) that is answered through
the engine's preview without becoming live.

Writes report.json and report.html (self-contained: opens without a server)
into --out; prints a summary table on stdout and progress on stderr. The
same input and options give the same reports, except the latency and
throughput figures (--no-timings leaves them out).

Exit codes: 0 done; 1 the input could not be read or nothing was scored;
2 a wrong command line, option, target or what-if file.`;

/** `sibyl evaluate`: backtests placements by replaying events, and writes the reports. */
export function evaluateCommand(): Command {
  return new Command("evaluate")
    .description(
      "backtest placements on recorded events (prequential or holdout) and write report.json and report.html",
    )
    .argument("[events]", "an NDJSON file of events (or use --data-dir)")
    .option("-d, --data-dir <dir>", "evaluate the event log of this data directory instead of a file")
    .addOption(
      new Option("--protocol <name>", "prequential or holdout")
        .choices(["prequential", "holdout"])
        .default("prequential"),
    )
    .addOption(
      new Option(
        "--placement <id>",
        "a live placement to compare (repeatable); default home_for_you and product_page_similar",
      ).argParser(repeatable),
    )
    .addOption(
      new Option(
        "--what-if <file>",
        "a placement configuration to compare without making it live (repeatable)",
      ).argParser(repeatable),
    )
    .addOption(new Option("--k <n>", "list length and the K of every metric").default(10).argParser(integer))
    .addOption(
      new Option("--seed <n>", "seeds the holdout split and the random baseline")
        .default(42)
        .argParser(integer),
    )
    .addOption(new Option("--folds <n>", "holdout: number of folds").default(5).argParser(integer))
    .addOption(
      new Option("--warmup <fraction>", "prequential: share of the events replayed before scoring")
        .default(0.2)
        .argParser(fraction),
    )
    .addOption(
      new Option(
        "--target <spec>",
        "target events, e.g. 'RateItem:rating>=4', PurchaseComplete (repeatable); default views, carts, purchases and ratings ≥ 4",
      ).argParser(repeatable),
    )
    .option("--no-exclude-seen", "keep the visitor's earlier items in the lists and score repeat targets")
    .addOption(
      new Option("--context <mode>", "which placements get the visitor's latest item as context")
        .choices(["auto", "last-item", "none"])
        .default("auto"),
    )
    .addOption(
      new Option("--normalisation <name>", "engine option: neighbour scoring").choices([
        "count",
        "llr",
        "cosine",
      ]),
    )
    .addOption(
      new Option("--engine-options <json>", 'engine options as JSON, e.g. {"historyLength":128}').argParser(
        engineOptionsJson,
      ),
    )
    .option("--no-timings", "leave out latency and throughput, so two runs give identical reports")
    .option("--generated-at <text>", "stamp the report with this text (the report never reads the clock)")
    .option("-o, --out <dir>", "where report.json and report.html are written", "evaluation-report")
    .addHelpText("after", HELP)
    .action(async (file: string | undefined, options: EvaluateCommandOptions) => {
      try {
        await runEvaluation(file, options);
      } catch (error) {
        if (error instanceof EvaluationInputError) {
          console.error(`sibyl evaluate: ${error.message}`);
          process.exitCode = 1;
        } else if (error instanceof EvaluationError) {
          throw new UsageError(error.message);
        } else throw error;
      }
    });
}

async function runEvaluation(file: string | undefined, options: EvaluateCommandOptions): Promise<void> {
  if ((file === undefined) === (options.dataDir === undefined))
    throw new UsageError("name an events file or --data-dir (one of them)");
  const whatIf = (options.whatIf ?? []).map(readWhatIf);
  const progress = progressPrinter();
  progress.note(`reading ${file ?? options.dataDir}`);
  const events = file !== undefined ? readEventsFile(file) : await readEventLog(options.dataDir!);
  const evaluation: EvaluationOptions = {
    protocol: options.protocol,
    whatIf,
    k: options.k,
    seed: options.seed,
    folds: options.folds,
    warmup: options.warmup,
    excludeSeen: options.excludeSeen,
    context: options.context,
    engineOptions: {
      ...options.engineOptions,
      ...(options.normalisation !== undefined ? { normalisation: options.normalisation } : {}),
    },
    timings: options.timings,
    source: basename(file ?? options.dataDir!),
    onProgress: progress.update,
    ...(options.placement !== undefined ? { placements: options.placement } : {}),
    ...(options.target !== undefined ? { targets: options.target } : {}),
    ...(options.generatedAt !== undefined ? { generatedAt: options.generatedAt } : {}),
  };
  const report = evaluate(events, evaluation);
  progress.finish();
  const written = writeReport(options.out, report);
  process.stdout.write(`${summaryTable(report)}\n`);
  const timing = report.timing
    ? `, ${Math.round(report.timing.events_per_second)} events/s, ${Math.round(report.timing.requests_per_second)} requests/s`
    : "";
  console.error(
    `${report.requests.scored} requests scored${timing}; wrote ${written.json} and ${written.html}`,
  );
}

function readWhatIf(path: string): WhatIfPlacement {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) throw error;
    throw new UsageError(`what-if ${path} is not JSON: ${(error as Error).message}`);
  }
  return parseWhatIf(path, basename(path).replace(/\.json$/, ""), value);
}

/** Progress on stderr: one line redrawn on a terminal, a line every few seconds otherwise. */
function progressPrinter() {
  const tty = process.stderr.isTTY === true;
  const everyMs = tty ? 100 : 5000;
  let last = 0;
  let drawn = false;
  return {
    note(text: string) {
      process.stderr.write(`sibyl evaluate: ${text}\n`);
    },
    update(progress: EvaluationProgress) {
      const now = performance.now();
      if (now - last < everyMs && progress.events < progress.totalEvents) return;
      last = now;
      const share = Math.floor((100 * progress.events) / Math.max(1, progress.totalEvents));
      const text = `${progress.phase}: ${share}% of ${progress.totalEvents} events, ${progress.requests} requests scored`;
      if (tty) {
        process.stderr.write(`\r${text}\x1b[K`);
        drawn = true;
      } else process.stderr.write(`sibyl evaluate: ${text}\n`);
    },
    finish() {
      if (drawn) process.stderr.write("\r\x1b[K");
    },
  };
}
