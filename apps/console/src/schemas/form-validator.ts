import type { ErrorSchema, RJSFSchema, RJSFValidationError, ValidatorType } from "@rjsf/utils";
import { customizeValidator } from "@rjsf/validator-ajv8";
import { type AjvError, type PointedError, pointerSegments, toPointedError } from "./server-errors.js";

/** What a form's data breaks, as the server would report it. */
export interface FormValidation {
  errors: PointedError[];
}

/**
 * rjsf's ajv 8 validator (with ajv-formats, as the server's validators are generated), whose errors are worded
 * and pointed as the server's: the form shows under each field the message the server would answer for it.
 */
export function createFormValidator(): ValidatorType<unknown, RJSFSchema> {
  const ajv = customizeValidator<unknown, RJSFSchema>({ ajvOptionsOverrides: { allowUnionTypes: true } });
  return {
    isValid: (schema, formData, rootSchema) => ajv.isValid(schema, formData, rootSchema),
    rawValidation: <Result>(schema: RJSFSchema, formData?: unknown) =>
      ajv.rawValidation<Result>(schema, formData),
    reset: () => ajv.reset?.(),
    validateFormData(formData, schema) {
      const pointed = validateAsServer(ajv, schema, formData);
      return { errors: pointed.map(toRjsfError), errorSchema: toErrorSchema(pointed) };
    },
  };
}

/** Every error of `formData` against `schema`, worded as the server words them, each once. */
export function validateAsServer(
  validator: Pick<ValidatorType<unknown, RJSFSchema>, "rawValidation">,
  schema: RJSFSchema,
  formData: unknown,
): PointedError[] {
  const { errors = [], validationError } = validator.rawValidation<AjvError>(schema, formData);
  if (validationError) throw new InvalidSchemaError(validationError);
  const seen = new Set<string>();
  const pointed: PointedError[] = [];
  for (const error of errors) {
    const one = toPointedError(error);
    const key = `${one.pointer}\u0000${one.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    pointed.push(one);
  }
  return pointed;
}

/** The schema the server sent cannot be compiled: a server and console of different versions, most likely. */
export class InvalidSchemaError extends Error {
  constructor(cause: Error) {
    super(`the event schema cannot be compiled: ${cause.message}`, { cause });
    this.name = "InvalidSchemaError";
  }
}

function toRjsfError({ pointer, message }: PointedError): RJSFValidationError {
  const segments = pointerSegments(pointer);
  return {
    name: "sibyl",
    message,
    property: segments.length === 0 ? "." : `.${segments.join(".")}`,
    stack: `${pointer === "" ? "(the event)" : pointer} ${message}`,
  };
}

/** The errors as rjsf's tree of `__errors` lists, each under the field its pointer names. */
function toErrorSchema(errors: readonly PointedError[]): ErrorSchema<unknown> {
  const root: Record<string, unknown> = {};
  for (const { pointer, message } of errors) {
    let node = root;
    for (const segment of pointerSegments(pointer)) {
      const child = Object.hasOwn(node, segment) ? (node[segment] as Record<string, unknown>) : {};
      node[segment] = child;
      node = child;
    }
    const list = (node.__errors as string[] | undefined) ?? [];
    list.push(message);
    node.__errors = list;
  }
  return root as ErrorSchema<unknown>;
}
