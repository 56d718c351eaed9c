import { isUtf8 } from "node:buffer";
import { rejectedLine, type SourceItem } from "./import-source.js";
import type { Line } from "./split-lines.js";

/** A line that held one JSON value, or what the import reports for a line that did not. */
export type JsonLine = { kind: "json"; line: number; value: unknown } | SourceItem;

/**
 * JSON-per-line input as the importers read it, whatever the record means: an over-long line, invalid UTF-8 or
 * text that does not parse is rejected naming its line, a blank line is counted, a byte-order mark at the start
 * of the file is dropped, and every other line is handed on parsed.
 */
export async function* jsonLines(
  lines: AsyncIterable<Line>,
  maxLineBytes: number,
): AsyncGenerator<JsonLine, void, undefined> {
  for await (const { number: line, bytes } of lines) {
    if (bytes === undefined) {
      yield rejectedLine(line, "", `is longer than ${maxLineBytes} bytes`);
      continue;
    }
    const content = line === 1 && hasBom(bytes) ? bytes.subarray(3) : bytes;
    if (!isUtf8(content)) {
      yield rejectedLine(line, "", "is not valid UTF-8");
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
      yield rejectedLine(line, "", `is not valid JSON: ${(error as Error).message}`);
      continue;
    }
    yield { kind: "json", line, value };
  }
}

function hasBom(bytes: Buffer): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}
