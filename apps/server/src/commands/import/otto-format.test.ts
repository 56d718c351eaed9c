import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createEngine, openEngine } from "@sibyl/engine";
import { parseNdjson, type SibylEvent, validateEvent } from "@sibyl/events";
import { describe, expect, it } from "vitest";
import { openLineSource } from "./line-source.js";
import { ottoItems, type OttoTimeUnit } from "./otto-items.js";
import { collect, countTypes, fixtures, scratch, sharedData, sibyl } from "./test-support.js";
import { type EventOrder, ordered } from "./time-order.js";

const sample = join(fixtures, "otto-sessions.jsonl");

function otto(file: string, order: EventOrder = "time", unit: OttoTimeUnit = "ms") {
  return openLineSource(file, 1 << 20, (lines) => ordered(ottoItems(lines, 1 << 20, unit), order, 1 << 26));
}

function write(lines: string[]): string {
  const file = join(scratch(), "sessions.jsonl");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

describe("sibyl import otto", () => {
  it("turns the first five OTTO sessions into views, carts and one purchase per order time", async () => {
    const { events, rejections, lines } = await collect(await otto(sample));
    expect(rejections).toEqual([]);
    // 526 clicks, 50 carts, and 10 orders placed at 5 distinct times.
    expect(countTypes(events)).toEqual({ DetailItemView: 526, AddToCart: 50, PurchaseComplete: 5 });
    for (const event of events) expect(validateEvent(event).ok).toBe(true);
    const times = events.map((event) => event.event_time!);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(events.map((event) => event.event_id)).size).toBe(events.length);

    expect(events[0]).toEqual({
      event_type: "DetailItemView",
      event_id: "otto-0-1659304800025-click-1517085",
      event_time: 1_659_304_800_025,
      user_info: { visitor_id: "0", session_id: "0" },
      item: { item_id: "1517085" },
    });
    expect(lines[0]).toBe(1);
    const order = events.find((event) => event.event_id === "otto-0-1659370027105-order");
    expect(order).toEqual({
      event_type: "PurchaseComplete",
      event_id: "otto-0-1659370027105-order",
      event_time: 1_659_370_027_105,
      user_info: { visitor_id: "0", session_id: "0" },
      items: [{ item_id: "305831" }, { item_id: "461689" }],
      transaction: { id: "otto-0-1659370027105", revenue: 0, currency: "XXX" },
    });
    const purchases = events.filter((event) => event.event_type === "PurchaseComplete");
    expect(purchases.map((event) => event.items.length)).toEqual([1, 2, 3, 2, 2]);
  });

  it("keeps file order (session after session) with --order file", async () => {
    const { events } = await collect(await otto(sample, "file"));
    const sessions = events.map((event) => ("user_info" in event ? event.user_info.visitor_id : ""));
    expect([...new Set(sessions)]).toEqual(["0", "1", "2", "3", "4"]);
    expect(sessions).toEqual([...sessions].sort());
  });

  it("rejects a session with a bad action whole, naming the action; reads times in seconds on request", async () => {
    const file = write([
      '{"session":7,"events":[{"aid":1,"ts":1659304800,"type":"clicks"},{"aid":2,"ts":1659304900,"type":"carts"}]}',
      '{"session":8,"events":[{"aid":1,"ts":1659304800,"type":"clicks"},{"aid":2,"ts":1659304900,"type":"wishes"}]}',
      "",
      '{"session":-1,"events":[]}',
      '{"session":9,"events":[{"aid":"1","ts":1659304800,"type":"clicks"}]}',
      '{"session":10,"events":[]}',
      "not json",
    ]);
    const result = await collect(await otto(file, "time", "s"));
    expect(result.events.map((event) => [event.event_type, event.event_time])).toEqual([
      ["DetailItemView", 1_659_304_800_000],
      ["AddToCart", 1_659_304_900_000],
    ]);
    expect(result.rejections.map(({ line, errors }) => [line, errors[0]!.pointer])).toEqual([
      [2, "/events/1/type"],
      [4, "/session"],
      [5, "/events/0/aid"],
      [7, ""],
    ]);
    expect(result.rejections[0]!.errors[0]!.message).toBe("must be clicks, carts or orders");
    expect(result.skipped).toEqual([{ line: 6, reason: "a session without events" }]);
    expect(result.blank).toEqual([3]);
  });

  it("imports the whole sample from the command line into the state an engine fed its --out file has", async () => {
    const dir = scratch();
    const file = sharedData("otto-sample", "train.jsonl");
    const out = join(dir, "otto.ndjson");
    const converted = sibyl("import", "otto", file, "--out", out);
    expect(converted.status).toBe(0);
    expect(JSON.parse(converted.stdout)).toMatchObject({
      format: "otto",
      out,
      linesRead: 20,
      eventsImported: 857,
      eventTypes: { DetailItemView: 800, AddToCart: 52, PurchaseComplete: 5 },
      linesRejected: 0,
    });
    const written = parseNdjson(readFileSync(out, "utf8"));
    expect(written.rejected).toEqual([]);
    expect(written.events).toHaveLength(857);

    const dataDir = join(dir, "data");
    const imported = sibyl("import", "otto", file, "--data-dir", dataDir);
    expect(imported.status).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ eventsImported: 857, duplicates: 0 });
    const reference = createEngine();
    reference.applyBatch(written.events as SibylEvent[]);
    const engine = await openEngine({ dataDir });
    expect(engine.stateHash()).toBe(reference.stateHash());
    expect(engine.stats()).toMatchObject({ items: 510, catalogued: 0, visitors: 20 });
    await engine.close();
  });
});
