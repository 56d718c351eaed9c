// Test support (not part of the console): the schemas' test vectors, as every Sibyl test suite reads them.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Set by vitest.config.ts. */
export const EXAMPLES_DIR = process.env.SIBYL_EXAMPLES_DIR ?? "";

export interface Vector {
  eventType: string;
  name: string;
  event: Record<string, unknown>;
}

export function vectors(kind: "valid" | "invalid"): Vector[] {
  if (!EXAMPLES_DIR) throw new Error("SIBYL_EXAMPLES_DIR is not set: run the tests with vitest.config.ts");
  return readdirSync(EXAMPLES_DIR)
    .sort()
    .flatMap((eventType) => {
      const dir = join(EXAMPLES_DIR, eventType, kind);
      if (!existsSync(dir)) return [];
      return readdirSync(dir)
        .filter((file) => file.endsWith(".json") && !file.endsWith(".expected.json"))
        .sort()
        .map((name) => ({ eventType, name, event: JSON.parse(readFileSync(join(dir, name), "utf8")) }));
    });
}
