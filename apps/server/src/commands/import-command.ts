import { Command } from "commander";
import { ndjsonImportCommand } from "./import/ndjson-format.js";

/**
 * `sibyl import <format> <file>`: loads events into a data directory offline, much faster than through the HTTP
 * API. One subcommand per input format, each built with `importSubcommand` (shared options: data directory,
 * batch size, durability, progress) and `importFile` (streaming, batching, summary, exit codes).
 */
export function importCommand(): Command {
  return new Command("import")
    .description("import events from a file into a data directory (the server must not be running on it)")
    .addCommand(ndjsonImportCommand());
}
