import { type Command, Option } from "commander";
import { importSubcommand, positiveInteger } from "./import-options.js";
import { ndjsonItems } from "./ndjson-items.js";
import { type ImportOptions, importFile } from "./run-import.js";
import { splitLines } from "./split-lines.js";

/** `sibyl import ndjson <file>`: one Sibyl event per line, as POST /v1/events takes them. */
export function ndjsonImportCommand(): Command {
  return importSubcommand(
    "ndjson",
    "import newline-delimited JSON events, one per line, each validated like POST /v1/events",
  )
    .argument("<file>", "the NDJSON file, read as a stream (any size; - reads standard input)")
    .addOption(
      new Option("--max-line-bytes <bytes>", "longer lines are rejected unread")
        .default(1 << 20)
        .argParser(positiveInteger),
    )
    .action(async (file: string, options: ImportOptions & { maxLineBytes: number }) => {
      await importFile("ndjson", file, options, (input) =>
        ndjsonItems(splitLines(input.chunks(), options.maxLineBytes), options.maxLineBytes),
      );
    });
}
