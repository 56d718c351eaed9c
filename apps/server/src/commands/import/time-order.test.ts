import type { SibylEvent } from "@sibyl/events";
import { describe, expect, it } from "vitest";
import type { SourceItem } from "./import-source.js";
import { ordered, SortMemoryError, TimeOrder } from "./time-order.js";

const view = (id: string, time: number): SibylEvent => ({
  event_type: "DetailItemView",
  event_id: id,
  event_time: time,
  user_info: { visitor_id: "v" },
  item: { item_id: "i" },
});

async function* items(list: SourceItem[]): AsyncGenerator<SourceItem> {
  yield* list;
}

async function all(iterable: AsyncIterable<SourceItem>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of iterable)
    out.push(item.kind === "event" ? `${item.event.event_id}@${item.line}` : `${item.kind}`);
  return out;
}

describe("time order", () => {
  const input: SourceItem[] = [
    { kind: "event", line: 1, event: view("c", 30) },
    { kind: "event", line: 2, event: view("a", 10) },
    { kind: "skipped", line: 3, reason: "x" },
    { kind: "event", line: 4, event: view("b1", 20) },
    { kind: "event", line: 5, event: view("b2", 20) },
    { kind: "event", line: 6, event: view("a0", 10) },
  ];

  it("hands events out by time, ties in the order they came, passing other items on at once", async () => {
    expect(await all(ordered(items(input), "time", 1 << 20))).toEqual([
      "skipped",
      "a@2",
      "a0@6",
      "b1@4",
      "b2@5",
      "c@1",
    ]);
  });

  it("keeps the file's order when asked, holding nothing", async () => {
    expect(await all(ordered(items(input), "file", 1))).toEqual([
      "c@1",
      "a@2",
      "skipped",
      "b1@4",
      "b2@5",
      "a0@6",
    ]);
  });

  it("stops with a SortMemoryError past its bound, and keeps the file a buffered event came from", () => {
    const order = new TimeOrder(1000);
    order.add(1, view("first", 5), "ratings.csv");
    expect([...order.drain()]).toEqual([
      { kind: "event", line: 1, event: view("first", 5), file: "ratings.csv" },
    ]);
    expect(order.size).toBe(0);
    expect(() => {
      for (let index = 0; index < 10; index++) order.add(index, view(`e${index}`, index));
    }).toThrow(SortMemoryError);
  });
});
