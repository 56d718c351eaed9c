import { InvalidRequestError } from "../errors/engine-errors.js";
import { type LogPosition, parsePosition } from "../log/index.js";

/** The moment a read-only engine is rebuilt at: an event time, or a position in the log. */
export type Moment = { kind: "time"; timeMs: number } | { kind: "position"; position: LogPosition };

/** Reads `until` as given on the command line or in code: ms, Date, ISO 8601 text, or "segment:offset". */
export function parseMoment(until: number | Date | string | LogPosition): Moment {
  if (typeof until === "number") return { kind: "time", timeMs: until };
  if (until instanceof Date) return { kind: "time", timeMs: until.getTime() };
  if (typeof until === "object") return { kind: "position", position: until };
  if (/^\d+:\d+$/.test(until)) return { kind: "position", position: parsePosition(until) };
  const timeMs = Date.parse(until);
  if (Number.isNaN(timeMs)) {
    throw new InvalidRequestError(
      "/until",
      `"${until}" is neither an ISO 8601 time nor a log position (segment:offset)`,
    );
  }
  return { kind: "time", timeMs };
}
