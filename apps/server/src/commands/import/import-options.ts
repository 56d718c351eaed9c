import { Command, InvalidArgumentError, Option } from "commander";
import { dataDirOption } from "../data-dir.js";
import { REJECTIONS_SHOWN } from "./run-import.js";

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

Exit codes: 0 every line imported; 1 some lines rejected (the valid ones are
still imported; the summary lists the first ${REJECTIONS_SHOWN}), or the file or the
log could not be read or written; 2 a wrong command line.`;

/** A `sibyl import <format>` subcommand with the options every format shares. */
export function importSubcommand(format: string, description: string): Command {
  return new Command(format)
    .description(`${description} (the server must not be running on the data directory)`)
    .addOption(dataDirOption())
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
