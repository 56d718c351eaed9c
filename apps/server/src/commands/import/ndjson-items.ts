import { isUtf8 } from "node:buffer";
import { validateEvent } from "@sibyl/events";
import type { SourceItem } from "./import-source.js";
import type { Line } from "./split-lines.js";

/**
 * NDJSON lines as import items: blank lines are skipped (but counted), every other line must be valid UTF-8 JSON
 * that `validateEvent` accepts, or it is rejected with the JSON pointer of what is wrong — as POST /v1/events does.
 */
export async function* ndjsonItems(
  lines: AsyncIterable<Line>,
  maxLineBytes: number,
): AsyncGenerator<SourceItem, void, undefined> {
  for await (const { number: line, bytes } of lines) {
    if (bytes === undefined) {
      yield rejected(line, "", `is longer than ${maxLineBytes} bytes`);
      continue;
    }
    const content = line === 1 && hasBom(bytes) ? bytes.subarray(3) : bytes;
    if (!isUtf8(content)) {
      yield rejected(line, "", "is not valid UTF-8");
      continue;
    }
    const text = content.toString("utf8");
    if (text.trim() === "") {
      yield { kind: "blank", line };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield rejected(line, "", `is not valid JSON: ${(error as Error).message}`);
      continue;
    }
    const validation = validateEvent(value);
    if (validation.ok) yield { kind: "event", line, event: validation.event };
    else
      yield {
        kind: "rejected",
        rejection:
          validation.eventType === undefined
            ? { line, errors: validation.errors }
            : { line, event_type: validation.eventType, errors: validation.errors },
      };
  }
}

function rejected(line: number, pointer: string, message: string): SourceItem {
  return { kind: "rejected", rejection: { line, errors: [{ pointer, message }] } };
}

function hasBom(bytes: Buffer): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}
