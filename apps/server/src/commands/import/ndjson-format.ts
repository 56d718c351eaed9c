import type { Command } from "commander";
import { importOptionsOf, importSubcommand, maxLineBytesOption } from "./import-options.js";
import { openLineSource } from "./line-source.js";
import { ndjsonItems } from "./ndjson-items.js";
import { importFrom } from "./run-import.js";

/** `sibyl import ndjson <file>`: one Sibyl event per line, as POST /v1/events takes them. */
export function ndjsonImportCommand(): Command {
  return importSubcommand(
    "ndjson",
    "import newline-delimited JSON events, one per line, each validated like POST /v1/events",
  )
    .argument("<file>", "the NDJSON file, read as a stream (any size; - reads standard input)")
    .addOption(maxLineBytesOption())
    .action(async (file: string, options: { maxLineBytes: number }, command: Command) => {
      await importFrom("ndjson", importOptionsOf(command), () =>
        openLineSource(file, options.maxLineBytes, (lines) => ndjsonItems(lines, options.maxLineBytes)),
      );
    });
}
