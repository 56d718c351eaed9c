import { Command } from "commander";
import { csvImportCommand } from "./import/csv-format.js";
import { movielensImportCommand } from "./import/movielens-format.js";
import { ndjsonImportCommand } from "./import/ndjson-format.js";
import { ottoImportCommand } from "./import/otto-format.js";

/**
 * `sibyl import <format> <path>`: loads events into a data directory offline, much faster than through the HTTP
 * API, or converts them to an NDJSON file (`--out`). One subcommand per input format, each built with
 * `importSubcommand` (shared options: destination, batch size, durability, progress) and `importFrom` (streaming,
 * batching, summary, exit codes).
 */
export function importCommand(): Command {
  return new Command("import")
    .description(
      "import events from a file into a data directory (the server must not be running on it), " +
        "or convert them to NDJSON",
    )
    .addCommand(ndjsonImportCommand())
    .addCommand(movielensImportCommand())
    .addCommand(ottoImportCommand())
    .addCommand(csvImportCommand());
}
