import type { SchemaSet } from "../schema-set.js";
import { SibylGoLanguage } from "./go-renderer.js";
import { renderModels } from "./quicktype-input.js";
import { modelContext } from "./quicktype-model.js";

/** The generated file of the Go SDK, at the module root beside the hand-written client. */
export const GO_MODELS_FILE = "models.go";

/** The Go SDK's models: every event, API body and shared shape in package sibyl, standard library only. */
export async function generateGo(set: SchemaSet): Promise<Map<string, string>> {
  const source = await renderModels(set, new SibylGoLanguage(modelContext(set)));
  return new Map([[GO_MODELS_FILE, source]]);
}
