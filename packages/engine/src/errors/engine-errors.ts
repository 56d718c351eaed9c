/** Base class of every error the engine throws on purpose; `code` is stable and machine-readable. */
export class SibylEngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A request named a placement that does not exist. */
export class UnknownPlacementError extends SibylEngineError {
  constructor(
    readonly placement: string,
    readonly known: readonly string[],
  ) {
    super(
      "unknown_placement",
      `unknown placement "${placement}"; known placements: ${known.join(", ") || "none"}`,
    );
  }
}

/** A structured filter that is valid JSON Schema-wise but cannot be applied (e.g. a range on a text field). */
export class InvalidFilterError extends SibylEngineError {
  constructor(
    /** JSON pointer inside the filter. */
    readonly pointer: string,
    message: string,
  ) {
    super("invalid_filter", `filter${pointer}: ${message}`);
  }
}

/** A request that is well-formed but asks for something the placement does not allow. */
export class InvalidRequestError extends SibylEngineError {
  constructor(
    readonly pointer: string,
    message: string,
  ) {
    super("invalid_request", `${pointer || "request"}: ${message}`);
  }
}
