import { existsSync } from "node:fs";
import { join } from "node:path";
import { Option } from "commander";

/** The data directory option every command shares; `SIBYL_DATA_DIR` overrides the default. */
export function dataDirOption(): Option {
  return new Option("-d, --data-dir <dir>", "the data directory")
    .env("SIBYL_DATA_DIR")
    .default("./.sibyl-data");
}

/** The log folder of a data directory, or a clear error when there is none. */
export function logDirOf(dataDir: string): string {
  const dir = join(dataDir, "log");
  if (!existsSync(dir))
    throw new UsageError(`no event log in ${dir}: is --data-dir (or SIBYL_DATA_DIR) right?`);
  return dir;
}

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {}

/** Prints a value as indented JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
