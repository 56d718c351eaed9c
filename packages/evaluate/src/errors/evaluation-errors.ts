/** Base class of every error an evaluation throws on purpose; `code` is stable and machine-readable. */
export class EvaluationError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A target specification such as `RateItem:rating>=4` that cannot be understood. */
export class InvalidTargetError extends EvaluationError {
  constructor(
    readonly spec: string,
    reason: string,
  ) {
    super("invalid_target", `target "${spec}": ${reason}`);
  }
}

/** Evaluation options that contradict each other or are out of range. */
export class InvalidOptionError extends EvaluationError {
  constructor(
    readonly option: string,
    reason: string,
  ) {
    super("invalid_option", `${option}: ${reason}`);
  }
}

/** A what-if placement configuration that is not a valid PlacementUpsert, or that the engine cannot compile. */
export class InvalidWhatIfError extends EvaluationError {
  constructor(
    readonly source: string,
    readonly pointer: string,
    reason: string,
  ) {
    super("invalid_what_if", `what-if ${source}${pointer ? ` at ${pointer}` : ""}: ${reason}`);
  }
}

/** Input events that cannot be evaluated: invalid lines, or nothing to score. */
export class EvaluationInputError extends EvaluationError {
  constructor(
    readonly source: string,
    reason: string,
    /** Lines (1-based) of the first rejected events, when the input is a file. */
    readonly lines: readonly number[] = [],
  ) {
    super("invalid_input", `${source}: ${reason}`);
  }
}
