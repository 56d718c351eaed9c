import type { SchemaSet } from "../schema-set.js";
import { generateRegistry } from "./registry.js";
import { generateSchemaBundle } from "./schema-bundle.js";
import { generateTypes } from "./typescript-types.js";
import { generateValidators } from "./validators.js";

/** The files of `@sibyl/events`' `src/generated/` folder. */
export async function generateTypescript(set: SchemaSet): Promise<Map<string, string>> {
  return new Map([
    ["types.ts", await generateTypes(set)],
    ["validators.ts", generateValidators(set)],
    ["registry.ts", generateRegistry(set)],
    ["schemas.ts", generateSchemaBundle(set)],
  ]);
}
