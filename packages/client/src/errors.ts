import type { SibylEvent, ValidationError } from "@sibyl/events";

/** Error messages stay readable however large a batch was; the full detail is in the fields. */
const REPORTED = 5;

function describe(errors: readonly ValidationError[]): string {
  return errors.map((error) => `${error.pointer || "(document)"} ${error.message}`).join(", ");
}

/** Base class of every error the Sibyl client throws or hands to `onError`. */
export class SibylError extends Error {
  override name = "SibylError";
}

/** The client options cannot be used; `option` names the one at fault. */
export class ConfigError extends SibylError {
  override name = "ConfigError";
  constructor(
    readonly option: string,
    readonly reason: string,
  ) {
    super(`invalid option ${option}: ${reason}`);
  }
}

/**
 * The server refused a request with an error status (a 4xx, or a 5xx it did not ask to retry). `code` is its
 * stable error code (`invalid_key`, `unknown_placement`, `batch_too_large` …), `errors` its reasons with JSON
 * pointers, and `events` the events of a refused batch (empty for `recommend`), none of which was accepted.
 */
export class ApiError extends SibylError {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    readonly serverMessage: string,
    readonly errors: readonly ValidationError[] = [],
    readonly events: readonly SibylEvent[] = [],
  ) {
    super(`HTTP ${status} ${code}: ${serverMessage}${errors.length > 0 ? ` (${describe(errors)})` : ""}`);
  }
}

/** An event the server refused: its 1-based line in the batch that carried it, the event, and every reason. */
export interface RejectedEvent {
  line: number;
  event: SibylEvent;
  event_type?: string;
  errors: ValidationError[];
}

/**
 * The server refused some lines of a batch (status 207, 400 or 403) and said why, line by line. Refused events are
 * never sent again: the same event would be refused the same way.
 */
export class RejectedEventsError extends SibylError {
  override name = "RejectedEventsError";
  constructor(
    readonly status: number,
    readonly accepted: number,
    readonly rejected: readonly RejectedEvent[],
  ) {
    const lines = rejected
      .slice(0, REPORTED)
      .map(
        (line) => `line ${line.line} (${line.event_type ?? line.event.event_type}): ${describe(line.errors)}`,
      );
    if (rejected.length > REPORTED) lines.push(`… and ${rejected.length - REPORTED} more`);
    super(`HTTP ${status}: ${rejected.length} event(s) rejected, ${accepted} accepted; ${lines.join("; ")}`);
  }

  get events(): SibylEvent[] {
    return this.rejected.map((line) => line.event);
  }
}

/** The request got no HTTP answer: connection refused or reset, DNS failure, or no answer within the timeout. */
export class NetworkError extends SibylError {
  override name = "NetworkError";
  constructor(
    readonly url: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${url}: ${reason}`, options);
  }
}

/** The server answered something that is not the Sibyl API, e.g. a proxy's HTML error page. */
export class ProtocolError extends SibylError {
  override name = "ProtocolError";
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`HTTP ${status}: ${reason}`);
  }
}

/**
 * Every attempt met a retryable failure (429, 503 or a network error) and the request was given up. `lastStatus`
 * is the last HTTP status (undefined when the last attempt got no answer), `cause` the last failure, and `events`
 * the batch's events (empty for `recommend`), none of which is known to be accepted.
 */
export class RetriesExhaustedError extends SibylError {
  override name = "RetriesExhaustedError";
  constructor(
    readonly attempts: number,
    readonly lastStatus: number | undefined,
    readonly events: readonly SibylEvent[],
    cause: SibylError,
  ) {
    super(`gave up after ${attempts} attempt(s); last failure: ${cause.message}`, { cause });
  }
}

/** `track()` found the queue full (the server has been unreachable or slow); the event was dropped, not queued. */
export class QueueFullError extends SibylError {
  override name = "QueueFullError";
  constructor(
    readonly capacity: number,
    readonly event: SibylEvent,
  ) {
    super(`the send queue holds its maximum of ${capacity} events; dropped a ${event.event_type}`);
  }
}

/** The client was used after `close()`. */
export class ClientClosedError extends SibylError {
  override name = "ClientClosedError";
  constructor(readonly method: string) {
    super(`${method}() was called after close()`);
  }
}

/** A failure that lost events: what `onError` receives and `DeliveryError` gathers. */
export type DeliveryFailure =
  | ApiError
  | RejectedEventsError
  | RetriesExhaustedError
  | ProtocolError
  | QueueFullError;

/** The events a delivery failure says were not accepted. */
export function failedEvents(failure: DeliveryFailure): readonly SibylEvent[] {
  if (failure instanceof QueueFullError) return [failure.event];
  if (failure instanceof ApiError || failure instanceof RejectedEventsError) return failure.events;
  if (failure instanceof RetriesExhaustedError) return failure.events;
  return [];
}

/**
 * `flush()` or `close()` found that events tracked before it were not accepted. `failures` holds each failure in
 * the order it happened (`onError` has already seen each); `omitted` counts failures beyond those kept.
 */
export class DeliveryError extends SibylError {
  override name = "DeliveryError";
  constructor(
    readonly failures: readonly DeliveryFailure[],
    readonly omitted = 0,
  ) {
    const lost = failures.reduce((sum, failure) => sum + failedEvents(failure).length, 0);
    const reasons = failures.slice(0, REPORTED).map((failure) => `\n- ${failure.message}`);
    if (failures.length > REPORTED) reasons.push(`\n- … and ${failures.length - REPORTED} more`);
    const more = omitted > 0 ? ` (and ${omitted} more failures not kept)` : "";
    super(`${lost} event(s) not accepted in ${failures.length} failure(s)${more}:${reasons.join("")}`);
  }

  get events(): SibylEvent[] {
    return this.failures.flatMap((failure) => [...failedEvents(failure)]);
  }
}
