import { validateEvent } from "@sibyl/events";
import type { SourceItem } from "./import-source.js";
import { jsonLines } from "./json-lines.js";
import type { Line } from "./split-lines.js";

/**
 * NDJSON lines as import items: blank lines are skipped (but counted), every other line must be valid UTF-8 JSON
 * that `validateEvent` accepts, or it is rejected with the JSON pointer of what is wrong — as POST /v1/events does.
 */
export async function* ndjsonItems(
  lines: AsyncIterable<Line>,
  maxLineBytes: number,
): AsyncGenerator<SourceItem, void, undefined> {
  for await (const item of jsonLines(lines, maxLineBytes)) {
    if (item.kind !== "json") {
      yield item;
      continue;
    }
    const { line, value } = item;
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
