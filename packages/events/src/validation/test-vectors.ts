import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The shared test vectors in `schemas/examples/`, read the way every SDK reads them. */
export interface TestVector {
  eventType: string;
  name: string;
  document: unknown;
  /** For invalid vectors: the JSON pointer of the expected error. */
  expectedPointer?: string;
}

export const EXAMPLES_DIR = fileURLToPath(new URL("../../../../schemas/examples", import.meta.url));

export function loadVectors(kind: "valid" | "invalid"): TestVector[] {
  return readdirSync(EXAMPLES_DIR)
    .sort()
    .flatMap((eventType) => {
      const dir = join(EXAMPLES_DIR, eventType, kind);
      if (!existsSync(dir)) return [];
      return readdirSync(dir)
        .filter((file) => file.endsWith(".json") && !file.endsWith(".expected.json"))
        .sort()
        .map((file) => {
          const document: unknown = JSON.parse(readFileSync(join(dir, file), "utf8"));
          const expectedFile = join(dir, file.replace(/\.json$/, ".expected.json"));
          const expectedPointer = existsSync(expectedFile)
            ? (JSON.parse(readFileSync(expectedFile, "utf8")) as { pointer: string }).pointer
            : undefined;
          return { eventType, name: file, document, expectedPointer };
        });
    });
}
