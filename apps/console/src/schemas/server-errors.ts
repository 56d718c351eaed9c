/** The part of an ajv error the server's wording reads. */
export interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** An error as the server reports it: a JSON pointer to the value to fix, and what is wrong with it. */
export interface PointedError {
  pointer: string;
  message: string;
}

/**
 * An ajv error worded and placed as Sibyl's server words and places it (see @sibyl/events' validation): a missing
 * or unknown property is pointed at the property itself rather than at its parent object, and an enum lists the
 * values it allows. The forms use it so that what they show before sending is what the server would answer.
 */
export function toPointedError(error: AjvError): PointedError {
  const params = error.params as {
    missingProperty?: string;
    additionalProperty?: string;
    allowedValues?: unknown[];
  };
  if (error.keyword === "required" && params.missingProperty !== undefined)
    return {
      pointer: `${error.instancePath}/${escapePointer(params.missingProperty)}`,
      message: "is required",
    };
  if (error.keyword === "additionalProperties" && params.additionalProperty !== undefined)
    return {
      pointer: `${error.instancePath}/${escapePointer(params.additionalProperty)}`,
      message: "is not a known property here",
    };
  if (error.keyword === "enum" && params.allowedValues)
    return {
      pointer: error.instancePath,
      message: `must be one of ${params.allowedValues.map((value) => JSON.stringify(value)).join(", ")}`,
    };
  return { pointer: error.instancePath, message: error.message ?? `fails ${error.keyword}` };
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The property names a JSON pointer walks through ("" is the document itself). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"));
}
