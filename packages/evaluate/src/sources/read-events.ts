import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EventLog } from "@sibyl/engine";
import { parseNdjson, type SibylEvent } from "@sibyl/events";
import { EvaluationInputError } from "../errors/evaluation-errors.js";

/** Rejected lines named in an error: enough to find the problem, not a flood. */
const LINES_REPORTED = 5;

/**
 * Every event of an NDJSON file, validated like POST /v1/events. An evaluation over part of the input would
 * report figures for data nobody chose, so any invalid line fails the whole read, naming the first few.
 */
export function readEventsFile(path: string): SibylEvent[] {
  const parsed = parseNdjson(readFileSync(path));
  if (parsed.rejected.length > 0) {
    const first = parsed.rejected.slice(0, LINES_REPORTED);
    const detail = first
      .map(({ line, errors }) => `line ${line}: ${errors[0]?.pointer || "/"} ${errors[0]?.message ?? ""}`)
      .join("; ");
    throw new EvaluationInputError(
      path,
      `${parsed.rejected.length} invalid line(s): ${detail}`,
      first.map((entry) => entry.line),
    );
  }
  return parsed.events;
}

/** Every event of a data directory's log (read-only: a running server's torn tail is left alone). */
export async function readEventLog(dataDir: string): Promise<SibylEvent[]> {
  const dir = join(dataDir, "log");
  if (!existsSync(dir)) throw new EvaluationInputError(dataDir, `no event log in ${dir}`);
  const { log } = await EventLog.open({ dir, readOnly: true });
  try {
    const events: SibylEvent[] = [];
    // The log holds events exactly as they were validated and stamped on arrival.
    for (const record of log.read()) events.push(JSON.parse(record.payload.toString("utf8")) as SibylEvent);
    return events;
  } finally {
    await log.close();
  }
}

/**
 * The events in time order. The sort is stable, so events with equal times keep their order, and an event
 * without `event_time` stays right after the event before it (it would have been stamped on arrival).
 */
export function inTimeOrder(events: readonly SibylEvent[]): SibylEvent[] {
  let previous = Number.NEGATIVE_INFINITY;
  const keyed = events.map((event, index) => {
    previous = event.event_time ?? previous;
    return { event, time: previous, index };
  });
  keyed.sort((a, b) => a.time - b.time || a.index - b.index);
  return keyed.map((entry) => entry.event);
}
