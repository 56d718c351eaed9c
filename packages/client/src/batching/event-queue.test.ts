import type { SibylEvent } from "@sibyl/events";
import { describe, expect, it } from "vitest";
import { bodyBytes, chunkByBytes, EventQueue, encodeEvent, ndjsonOf, utf8Length } from "./event-queue.js";

const view = (item: string): SibylEvent => ({
  event_type: "DetailItemView",
  user_info: { visitor_id: "ann" },
  item: { item_id: item },
});

describe("utf8Length", () => {
  it.each(["", "tent", "Schlafsack für −5 °C", "テント", "🏕️ camp", "a\u{1F600}b", "\u00e9\u0301"])(
    "matches TextEncoder for %j",
    (text) => {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).byteLength);
    },
  );
});

describe("EventQueue", () => {
  it("refuses events beyond its capacity", () => {
    const queue = new EventQueue(2);
    expect(queue.push(encodeEvent(view("a")))).toBe(true);
    expect(queue.push(encodeEvent(view("b")))).toBe(true);
    expect(queue.push(encodeEvent(view("c")))).toBe(false);
    expect(queue.length).toBe(2);
  });

  it("cuts batches by count and by NDJSON bytes, oldest first", () => {
    const queue = new EventQueue(100);
    for (const item of ["a", "b", "c", "d", "e"]) queue.push(encodeEvent(view(item)));
    const first = queue.takeBatch(2, 1 << 20);
    expect(first.map((entry) => (entry.event as { item: { item_id: string } }).item.item_id)).toEqual([
      "a",
      "b",
    ]);
    const lineBytes = first[0]!.bytes + 1;
    const second = queue.takeBatch(10, lineBytes * 2 + 1);
    expect(second).toHaveLength(2);
    expect(bodyBytes(second)).toBeLessThanOrEqual(lineBytes * 2 + 1);
    expect(queue.length).toBe(1);
  });

  it("takes an event larger than the byte limit alone, so it cannot block the queue", () => {
    const queue = new EventQueue(10);
    queue.push(encodeEvent(view("x".repeat(500))));
    queue.push(encodeEvent(view("small")));
    expect(queue.takeBatch(10, 100)).toHaveLength(1);
    expect(queue.takeBatch(10, 100)).toHaveLength(1);
  });

  it("puts a batch back at the front in its order", () => {
    const queue = new EventQueue(10);
    for (const item of ["a", "b", "c"]) queue.push(encodeEvent(view(item)));
    const batch = queue.takeBatch(2, 1 << 20);
    queue.push(encodeEvent(view("d")));
    queue.unshift(batch);
    expect(queue.takeAll().map((entry) => entry.line)).toEqual(
      ["a", "b", "c", "d"].map((item) => JSON.stringify(view(item))),
    );
  });
});

describe("ndjsonOf", () => {
  it("writes one line per event, each ending with a newline, of the length bodyBytes says", () => {
    const batch = [encodeEvent(view("zelt")), encodeEvent(view("matte – ü"))];
    const body = ndjsonOf(batch);
    expect(body.split("\n")).toEqual([batch[0]!.line, batch[1]!.line, ""]);
    expect(new TextEncoder().encode(body).byteLength).toBe(bodyBytes(batch));
  });
});

describe("chunkByBytes", () => {
  it("keeps every chunk within the limit, in order, and sets apart events that fit none", () => {
    const entries = Array.from({ length: 40 }, (_, index) =>
      encodeEvent(view(`item-${index}`.repeat(index % 5))),
    );
    const huge = encodeEvent(view("h".repeat(400)));
    entries.splice(17, 0, huge);
    const { chunks, oversized } = chunkByBytes(entries, 300);
    expect(oversized).toEqual([huge]);
    for (const chunk of chunks) expect(bodyBytes(chunk)).toBeLessThanOrEqual(300);
    expect(chunks.flat()).toEqual(entries.filter((entry) => entry !== huge));
  });
});
