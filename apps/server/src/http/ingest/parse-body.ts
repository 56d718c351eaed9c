import { type NdjsonResult, parseNdjson, type RejectedLine, validateEvent } from "@sibyl/events";

/** The media types POST /v1/events reads; NDJSON is also accepted as text/plain (what sendBeacon can send). */
export const NDJSON_TYPES = new Set(["application/x-ndjson", "application/ndjson", "text/plain"]);

export interface IngestLimits {
  /** Longest NDJSON line, in bytes. */
  maxLineBytes: number;
  /** Most lines (events and rejected lines) in one body. */
  maxBatchEvents: number;
}

/** The body holds more lines than `maxBatchEvents`: counted, but not parsed or validated. */
export interface TooManyLines {
  tooMany: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads an ingest body: NDJSON line by line, or a JSON document holding one event or an array of events (line
 * numbers are then 1-based array positions). Never throws: everything wrong becomes a rejected line. A body with
 * more lines than `maxBatchEvents` is counted without being parsed, so an oversized batch costs no more than a scan.
 */
export function parseIngestBody(
  body: Buffer | undefined,
  mediaType: string,
  limits: IngestLimits,
): NdjsonResult | TooManyLines {
  const bytes = body ?? Buffer.alloc(0);
  if (NDJSON_TYPES.has(mediaType)) {
    const lines = countNdjsonLines(bytes, limits.maxLineBytes);
    if (lines > limits.maxBatchEvents) return { tooMany: lines };
    return parseNdjson(bytes, { maxLineBytes: limits.maxLineBytes });
  }
  const result: NdjsonResult = { events: [], eventLines: [], rejected: [] };
  let text: string;
  try {
    // Fatal decoding: invalid UTF-8 is an error, not silently replaced by U+FFFD. A byte order mark is dropped.
    text = utf8.decode(bytes);
  } catch {
    result.rejected.push({ line: 1, errors: [{ pointer: "", message: "is not valid UTF-8" }] });
    return result;
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    result.rejected.push({
      line: 1,
      errors: [{ pointer: "", message: `is not valid JSON: ${(error as Error).message}` }],
    });
    return result;
  }
  const values = Array.isArray(document) ? document : [document];
  if (values.length > limits.maxBatchEvents) return { tooMany: values.length };
  values.forEach((value, index) => {
    const validation = validateEvent(value);
    if (validation.ok) {
      result.events.push(validation.event);
      result.eventLines.push(index + 1);
    } else {
      const line: RejectedLine = { line: index + 1, errors: validation.errors };
      if (validation.eventType !== undefined) line.event_type = validation.eventType;
      result.rejected.push(line);
    }
  });
  return result;
}

const NEWLINE = 0x0a;

/**
 * The number of lines `parseNdjson` reports (as events or as rejected lines) for a body, counted without parsing:
 * every line except the blank ones (whitespace only), and every line over `maxLineBytes`.
 */
export function countNdjsonLines(bytes: Uint8Array, maxLineBytes: number): number {
  let count = 0;
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end === -1) end = bytes.length;
    if (end - start > maxLineBytes || !isBlankLine(bytes, start, end)) count++;
    start = end + 1;
  }
  return count;
}

function isBlankLine(bytes: Uint8Array, start: number, end: number): boolean {
  let ascii = true;
  for (let index = start; index < end; index++) {
    const byte = bytes[index]!;
    if (byte >= 0x80) ascii = false;
    // Tab, vertical tab, form feed, carriage return, space: what String.prototype.trim removes in ASCII.
    else if (!(byte === 0x20 || (byte >= 0x09 && byte <= 0x0d))) return false;
  }
  if (ascii) return true;
  // Only whitespace and non-ASCII bytes: the rare line that needs decoding (a byte order mark, a no-break space).
  try {
    return utf8.decode(bytes.subarray(start, end)).trim() === "";
  } catch {
    return false;
  }
}
