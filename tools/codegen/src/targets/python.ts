import type { SchemaSet } from "../schema-set.js";
import { SibylPythonLanguage } from "./python-renderer.js";
import { renderModels } from "./quicktype-input.js";
import { modelContext } from "./quicktype-model.js";

/** The generated module of the Python SDK: `sibyl_sdk/models.py`. */
export const PYTHON_MODELS_FILE = "models.py";

/** The Python SDK's models: every event, API body and shared shape as a dataclass, in one module. */
export async function generatePython(set: SchemaSet): Promise<Map<string, string>> {
  const source = await renderModels(set, new SibylPythonLanguage(modelContext(set)));
  return new Map([[PYTHON_MODELS_FILE, source]]);
}
