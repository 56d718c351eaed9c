import { type NdjsonResult, parseNdjson, validateEvent } from "@sibyl/events";

/** The media types POST /v1/events reads; NDJSON is also accepted as text/plain (what sendBeacon can send). */
export const NDJSON_TYPES = new Set(["application/x-ndjson", "application/ndjson", "text/plain"]);

/**
 * Reads an ingest body: NDJSON line by line, or a JSON document holding one event or an array of events (line
 * numbers are then 1-based array positions). Never throws: everything wrong becomes a rejected line.
 */
export function parseIngestBody(body: Buffer, mediaType: string, maxLineBytes: number): NdjsonResult {
  if (NDJSON_TYPES.has(mediaType)) return parseNdjson(body, { maxLineBytes });
  const result: NdjsonResult = { events: [], eventLines: [], rejected: [] };
  let document: unknown;
  try {
    document = JSON.parse(body.toString("utf8"));
  } catch (error) {
    result.rejected.push({
      line: 1,
      errors: [{ pointer: "", message: `is not valid JSON: ${(error as Error).message}` }],
    });
    return result;
  }
  const values = Array.isArray(document) ? document : [document];
  values.forEach((value, index) => {
    const validation = validateEvent(value);
    if (validation.ok) {
      result.events.push(validation.event);
      result.eventLines.push(index + 1);
    } else {
      result.rejected.push(
        validation.eventType === undefined
          ? { line: index + 1, errors: validation.errors }
          : { line: index + 1, event_type: validation.eventType, errors: validation.errors },
      );
    }
  });
  return result;
}
