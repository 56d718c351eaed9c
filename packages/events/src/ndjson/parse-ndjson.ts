import type { RejectedLine, SibylEvent } from "../generated/types.js";
import { validateEvent } from "../validation/validate-event.js";

export interface NdjsonResult {
  /** The valid events, in input order. */
  events: SibylEvent[];
  /** The 1-based line number of each entry of `events`. */
  eventLines: number[];
  /** Every line that was not a valid event, in input order. */
  rejected: RejectedLine[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const NEWLINE = 0x0a;

/**
 * Parses and validates newline-delimited JSON events line by line. Bad lines never stop the good ones: each is
 * reported with its line number and the JSON pointer of what is wrong. Blank lines are skipped but counted.
 */
export interface NdjsonOptions {
  /** Lines longer than this many bytes (UTF-16 code units for string input) are rejected unparsed. */
  maxLineBytes?: number;
}

export function parseNdjson(input: string | Uint8Array, options: NdjsonOptions = {}): NdjsonResult {
  const result: NdjsonResult = { events: [], eventLines: [], rejected: [] };
  const maxLine = options.maxLineBytes ?? Number.POSITIVE_INFINITY;
  if (typeof input === "string") {
    parseText(input, 1, result, maxLine);
    return result;
  }
  if (Number.isFinite(maxLine)) {
    parseBytesLineByLine(input, result, maxLine);
    return result;
  }
  let text: string | undefined;
  try {
    text = utf8.decode(input);
  } catch {
    parseBytesLineByLine(input, result, maxLine);
    return result;
  }
  parseText(text, 1, result, maxLine);
  return result;
}

function parseText(text: string, firstLine: number, result: NdjsonResult, maxLine: number): void {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = firstLine;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    if (end - start > maxLine) tooLong(line, result, maxLine);
    else parseLine(text.slice(start, end), line, result);
    start = end + 1;
    line++;
  }
}

/** Line by line: for input that is not valid UTF-8 as a whole, or when line lengths are limited. */
function parseBytesLineByLine(bytes: Uint8Array, result: NdjsonResult, maxLine: number): void {
  let start = 0;
  let line = 1;
  while (start <= bytes.length) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end === -1) end = bytes.length;
    if (end - start > maxLine) {
      tooLong(line, result, maxLine);
      start = end + 1;
      line++;
      continue;
    }
    let text: string | undefined;
    try {
      text = utf8.decode(bytes.subarray(start === 0 && hasBom(bytes) ? 3 : start, end));
    } catch {
      result.rejected.push({ line, errors: [{ pointer: "", message: "is not valid UTF-8" }] });
    }
    if (text !== undefined) parseLine(text, line, result);
    start = end + 1;
    line++;
  }
}

function tooLong(line: number, result: NdjsonResult, maxLine: number): void {
  result.rejected.push({ line, errors: [{ pointer: "", message: `is longer than ${maxLine} bytes` }] });
}

function hasBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

function parseLine(raw: string, line: number, result: NdjsonResult): void {
  const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  if (text.trim() === "") return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    result.rejected.push({
      line,
      errors: [{ pointer: "", message: `is not valid JSON: ${(error as Error).message}` }],
    });
    return;
  }
  const validation = validateEvent(value);
  if (validation.ok) {
    result.events.push(validation.event);
    result.eventLines.push(line);
  } else {
    result.rejected.push(
      validation.eventType === undefined
        ? { line, errors: validation.errors }
        : { line, event_type: validation.eventType, errors: validation.errors },
    );
  }
}
