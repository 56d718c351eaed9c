import type { ErrorObject } from "ajv";
import type { ValidationError } from "../generated/types.js";

/**
 * Turns an ajv error into a pointer at the value a user has to fix: ajv reports a missing or unknown property
 * at its parent object, Sibyl at the property itself.
 */
export function fromAjvError(error: ErrorObject): ValidationError {
  const params = error.params as {
    missingProperty?: string;
    additionalProperty?: string;
    allowedValues?: unknown[];
  };
  if (error.keyword === "required" && params.missingProperty !== undefined) {
    return {
      pointer: `${error.instancePath}/${escapePointer(params.missingProperty)}`,
      message: "is required",
    };
  }
  if (error.keyword === "additionalProperties" && params.additionalProperty !== undefined) {
    return {
      pointer: `${error.instancePath}/${escapePointer(params.additionalProperty)}`,
      message: "is not a known property here",
    };
  }
  if (error.keyword === "enum" && params.allowedValues) {
    return {
      pointer: error.instancePath,
      message: `must be one of ${params.allowedValues.map((value) => JSON.stringify(value)).join(", ")}`,
    };
  }
  return { pointer: error.instancePath, message: error.message ?? `fails ${error.keyword}` };
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
