import type { RejectedLine, ValidationError } from "@sibyl/events";

/** The bounds the API schemas put on error reports (ValidationError, RejectedLine, ErrorBody). */
const MAX_POINTER = 4096;
const MAX_MESSAGE = 4096;
const MAX_ERRORS = 64;
const MAX_EVENT_TYPE = 128;

/**
 * Keeps validation errors within the documented bounds whatever the input was: a pointer into a property whose
 * name is megabytes long is cut back to the nearest ancestor that fits (and says so), a message is shortened, and
 * at most 64 errors are kept.
 */
export function boundedErrors(errors: readonly ValidationError[]): ValidationError[] {
  return errors.slice(0, MAX_ERRORS).map(({ pointer, message }) => {
    let bounded = { pointer, message };
    if (pointer.length > MAX_POINTER) {
      const cut = pointer.lastIndexOf("/", MAX_POINTER);
      bounded = {
        pointer: pointer.slice(0, Math.max(cut, 0)),
        message: `(inside this value, at a path too long to show) ${message}`,
      };
    }
    if (bounded.message.length > MAX_MESSAGE)
      bounded.message = `${bounded.message.slice(0, MAX_MESSAGE - 1)}…`;
    return bounded;
  });
}

/** A rejected line within the documented bounds; an event_type too long to be one is left out. */
export function boundedLine(line: RejectedLine): RejectedLine {
  const bounded: RejectedLine = { line: line.line, errors: boundedErrors(line.errors) };
  if (line.event_type !== undefined && line.event_type.length <= MAX_EVENT_TYPE)
    bounded.event_type = line.event_type;
  return bounded;
}
