import type { Durability } from "@sibyl/engine";
import { Command, InvalidArgumentError, Option } from "commander";
import { dataDirOption, UsageError } from "../data-dir.js";
import { type ImportOptions, REJECTIONS_SHOWN } from "./run-import.js";
import type { EventOrder } from "./time-order.js";

/** A commander parser for counts and sizes. */
export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number <= 0)
    throw new InvalidArgumentError("must be a positive integer");
  return number;
}

const DURABILITY_HELP = `
The server must not be running on the data directory: both would append to
the same log, and nothing stops them.

What is durable when. With the default --durability none, the log is fsynced
only when a segment fills (every 64 MiB) and when the input is done: the log
is then closed, which fsyncs the rest, and only after that is the summary
printed. An import that is interrupted (Ctrl-C, a crash) keeps the events
appended so far as far as the operating system wrote them: all of them
unless the machine itself went down, in which case the tail of the last
segment may be lost. A partly written batch is cut off when the data
directory is next opened. An import does not resume: running it again
appends the whole file again. --durability always fsyncs each batch before
reading on; interval fsyncs at most every 100 ms.

Events without an event_time are stamped with the time of the import.
Snapshots are written as the server writes them (every 1,000,000 events), so
a server started afterwards need not replay the whole import.

With --out FILE the events are written to FILE as NDJSON instead (each one
validated against its schema; the engine's own checks, such as a request
naming an unknown placement, happen when the file is loaded). FILE is
written beside its final name and renamed into place once complete, so it
never holds half an import; --out - writes to standard output and the
summary goes to standard error. --out and --data-dir exclude each other.

Exit codes: 0 every line imported (or deliberately skipped); 1 some lines
rejected (the valid ones are still imported; the summary lists the first
${REJECTIONS_SHOWN}), or the input or the output could not be read or written;
2 a wrong command line.`;

/** A `sibyl import <format>` subcommand with the options every format shares. */
export function importSubcommand(format: string, description: string): Command {
  return new Command(format)
    .description(`${description} (the server must not be running on the data directory)`)
    .addOption(dataDirOption())
    .option(
      "-o, --out <file>",
      "write the events to this NDJSON file instead of a data directory (- for stdout)",
    )
    .addOption(
      new Option("--batch <events>", "events appended to the log at a time")
        .default(10_000)
        .argParser(positiveInteger),
    )
    .addOption(
      new Option("--durability <mode>", "when the log is fsynced: none (only at the end), interval or always")
        .choices(["none", "interval", "always"])
        .default("none"),
    )
    .option("--no-progress", "no progress on stderr")
    .addHelpText("after", DURABILITY_HELP);
}

/** The options commander parsed for an import subcommand. */
interface ParsedImportOptions {
  dataDir: string;
  out?: string;
  batch: number;
  durability: Durability;
  progress: boolean;
}

/**
 * The runner's options from what commander parsed: exactly one destination. A data directory named on the command
 * line conflicts with --out; one that comes from SIBYL_DATA_DIR or the default does not.
 */
export function importOptionsOf(command: Command): ImportOptions {
  const options = command.opts<ParsedImportOptions>();
  const base = { batch: options.batch, progress: options.progress };
  if (options.out === undefined)
    return { ...base, destination: { dataDir: options.dataDir, durability: options.durability } };
  for (const [key, flag] of [
    ["dataDir", "--data-dir"],
    ["durability", "--durability"],
  ] as const) {
    if (command.getOptionValueSource(key) === "cli")
      throw new UsageError(`${flag} and --out exclude each other: the events go to one place`);
  }
  if (options.out === "") throw new UsageError("--out needs a file name (or - for standard output)");
  return { ...base, destination: { out: options.out } };
}

/** The options of formats that convert records into events with times: how to order them. */
export function withOrderOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--order <order>", "time: by event time, held in memory up to --sort-memory; file: as read")
        .choices(["time", "file"])
        .default("time"),
    )
    .addOption(
      new Option("--sort-memory <MiB>", "memory for events held to be put in time order")
        .default(1024)
        .argParser(positiveInteger),
    );
}

export interface OrderOptions {
  order: EventOrder;
  sortMemory: number;
}

/** The bound of --sort-memory in bytes. */
export function sortBytes(options: OrderOptions): number {
  return options.sortMemory * 2 ** 20;
}

/** Lines longer than this are rejected unread, so one bad line cannot exhaust memory. */
export function maxLineBytesOption(): Option {
  return new Option("--max-line-bytes <bytes>", "longer lines are rejected unread")
    .default(1 << 20)
    .argParser(positiveInteger);
}
