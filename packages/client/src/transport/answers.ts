import type { ErrorBody, IngestResult, RecoResponse, SibylEvent, ValidationError } from "@sibyl/events";
import {
  ApiError,
  type DeliveryFailure,
  ProtocolError,
  type RejectedEvent,
  RejectedEventsError,
} from "../errors.js";
import type { Answer } from "./http-transport.js";

function isValidationErrors(value: unknown): value is ValidationError[] {
  return (
    Array.isArray(value) &&
    value.every(
      (error: { pointer?: unknown; message?: unknown } | null) =>
        typeof error?.pointer === "string" && typeof error.message === "string",
    )
  );
}

function isErrorBody(value: unknown): value is ErrorBody {
  const body = value as Partial<Record<keyof ErrorBody, unknown>> | undefined;
  return (
    typeof body?.error === "string" &&
    typeof body.message === "string" &&
    (body.errors === undefined || isValidationErrors(body.errors))
  );
}

function isIngestResult(value: unknown): value is IngestResult {
  const body = value as Partial<Record<keyof IngestResult, unknown>> | undefined;
  return (
    typeof body?.accepted === "number" &&
    Array.isArray(body.rejected) &&
    body.rejected.every(
      (line: { line?: unknown; errors?: unknown } | null) =>
        typeof line?.line === "number" && isValidationErrors(line.errors),
    )
  );
}

function isRecoResponse(value: unknown): value is RecoResponse {
  const body = value as Partial<Record<keyof RecoResponse, unknown>> | undefined;
  return (
    typeof body?.rec_id === "string" &&
    typeof body.placement === "string" &&
    Array.isArray(body.items) &&
    body.items.every(
      (item: { item_id?: unknown; score?: unknown; strategy?: unknown } | null) =>
        typeof item?.item_id === "string" &&
        typeof item.score === "number" &&
        typeof item.strategy === "string",
    )
  );
}

function excerpt(answer: Answer): string {
  const text = answer.text.replace(/\s+/g, " ").trim();
  return text === "" ? "an empty body" : JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

/** An error answer as an ApiError (its ErrorBody), or a ProtocolError when the body is not the Sibyl API's. */
export function apiErrorOf(answer: Answer, events: readonly SibylEvent[] = []): ApiError | ProtocolError {
  if (!isErrorBody(answer.json))
    return new ProtocolError(answer.status, `expected an ErrorBody, got ${excerpt(answer)}`);
  return new ApiError(
    answer.status,
    answer.json.error,
    answer.json.message,
    answer.json.errors ?? [],
    events,
  );
}

/**
 * What an answer to POST /v1/events means for the batch it carried: undefined when every event was accepted,
 * else the failure — the rejected lines matched back to their events, or the error that refused the batch.
 */
export function ingestOutcome(answer: Answer, events: readonly SibylEvent[]): DeliveryFailure | undefined {
  if (isIngestResult(answer.json)) {
    const { accepted, rejected } = answer.json;
    // A repeated event_id (a retry of a batch that did arrive) counts as accepted: it is applied once.
    if (answer.status === 200 && rejected.length === 0) return undefined;
    if (answer.status === 200 || answer.status === 207 || answer.status === 400 || answer.status === 403) {
      const lines: RejectedEvent[] = [];
      for (const line of rejected) {
        const event = events[line.line - 1];
        if (event === undefined)
          return new ProtocolError(
            answer.status,
            `line ${line.line} rejected in a batch of ${events.length}`,
          );
        lines.push(
          line.event_type === undefined
            ? { line: line.line, event, errors: line.errors }
            : { line: line.line, event, event_type: line.event_type, errors: line.errors },
        );
      }
      return new RejectedEventsError(answer.status, accepted, lines);
    }
  }
  if (answer.status >= 200 && answer.status < 300)
    return new ProtocolError(answer.status, `expected an IngestResult, got ${excerpt(answer)}`);
  return apiErrorOf(answer, events);
}

/** The RecoResponse of a POST /v1/recommend answer; throws the ApiError or ProtocolError of any other answer. */
export function recoResponseOf(answer: Answer): RecoResponse {
  if (answer.status === 200) {
    if (isRecoResponse(answer.json)) return answer.json;
    throw new ProtocolError(200, `expected a RecoResponse, got ${excerpt(answer)}`);
  }
  throw apiErrorOf(answer);
}
