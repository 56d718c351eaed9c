import type { ErrorObject } from "ajv";

/** A validator emitted by ajv's standalone code generator; `errors` holds the reasons after a failed call. */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
