import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { openEngine } from "@sibyl/engine";
import { validateEvent } from "@sibyl/events";
import { describe, expect, it } from "vitest";
import { UsageError } from "../data-dir.js";
import { type CsvCommandOptions, DEFAULT_MAP, openCsvSource, parseEventMap } from "./csv-format.js";
import { collect, countTypes, fixtures, scratch, sibyl } from "./test-support.js";

const taobao = join(fixtures, "taobao-user-behavior.csv");

function options(overrides: Partial<CsvCommandOptions> = {}): CsvCommandOptions {
  return {
    user: "1",
    item: "2",
    event: "4",
    time: "5",
    header: false,
    timeUnit: "s",
    map: DEFAULT_MAP,
    listId: "wishlist",
    delimiter: ",",
    order: "time",
    sortMemory: 64,
    ...overrides,
  };
}

function write(text: string): string {
  const file = join(scratch(), "log.csv");
  writeFileSync(file, text);
  return file;
}

describe("sibyl import csv", () => {
  it("maps a Taobao-style log to views, carts, wish-list adds and one purchase per user and time", async () => {
    const { events, rejections, skipped, lines } = await collect(await openCsvSource(taobao, options()));
    expect(rejections).toEqual([]);
    expect(skipped).toEqual([]);
    expect(countTypes(events)).toEqual({
      DetailItemView: 12,
      AddToCart: 3,
      AddToList: 2,
      PurchaseComplete: 2,
    });
    for (const event of events) expect(validateEvent(event).ok).toBe(true);
    const times = events.map((event) => event.event_time!);
    expect(times).toEqual([...times].sort((a, b) => a - b));

    // The file is sorted by user: in time order the first event is user 1000's, on line 16.
    expect(lines[0]).toBe(16);
    expect(events[0]).toMatchObject({
      event_type: "DetailItemView",
      event_time: 1_511_544_010_000,
      user_info: { visitor_id: "1000", user_id: "1000" },
      item: { item_id: "4182583" },
    });
    expect(events.find((event) => event.event_type === "AddToList")).toMatchObject({
      list_id: "wishlist",
      item: { item_id: "4365585" },
    });
    const order = events.find((event) => event.event_type === "PurchaseComplete" && event.items.length === 2);
    expect(order).toMatchObject({
      event_time: 1_511_680_485_000,
      user_info: { visitor_id: "1" },
      items: [{ item_id: "2268318" }, { item_id: "230380" }],
      transaction: { revenue: 0, currency: "XXX" },
    });
    expect(order?.event_id).toMatch(/^csv-[\w-]{22}$/);

    const again = await collect(await openCsvSource(taobao, options()));
    expect(again.events.map((event) => event.event_id)).toEqual(events.map((event) => event.event_id));
    expect(new Set(events.map((event) => event.event_id)).size).toBe(19);
  });

  it("reads columns by header name, ISO times, sessions and anonymous visitors", async () => {
    const file = write(
      [
        "when;who;what;sku;visit",
        "2024-03-01T10:00:00+01:00;cookie-a;view;sku-1;s1",
        "2024-03-01 09:05;cookie-a;view;sku-2;s1",
        "2024-03-01T09:06:30.5Z;cookie-a;share;sku-2;s1",
        "2024-03-02;cookie-b;basket;sku-1;",
      ].join("\n"),
    );
    const { events, rejections } = await collect(
      await openCsvSource(
        file,
        options({
          user: "who",
          item: "sku",
          event: "what",
          time: "when",
          session: "visit",
          header: true,
          anonymous: true,
          delimiter: ";",
          timeUnit: "iso",
          map: parseEventMap("view=DetailItemView,basket=AddToCart,share=OtherInteraction"),
        }),
      ),
    );
    expect(rejections).toEqual([]);
    expect(events.map((event) => [event.event_type, new Date(event.event_time!).toISOString()])).toEqual([
      ["DetailItemView", "2024-03-01T09:00:00.000Z"],
      ["DetailItemView", "2024-03-01T09:05:00.000Z"],
      ["OtherInteraction", "2024-03-01T09:06:30.500Z"],
      ["AddToCart", "2024-03-02T00:00:00.000Z"],
    ]);
    expect(events[0]).toMatchObject({ user_info: { visitor_id: "cookie-a", session_id: "s1" } });
    expect(events[0]!).not.toHaveProperty("user_info.user_id");
    expect(events[2]).toMatchObject({ interaction_name: "share" });
    expect(events[3]!).not.toHaveProperty("user_info.session_id");
  });

  it("skips unknown event values (rejects them with --strict), rejects bad rows naming the column", async () => {
    const file = write(
      [
        "1,2268318,2520377,pv,1511544070",
        "1,2333346,2520771,clk,1511561733",
        "1,2576651,149192,pv,soon",
        "1,,149192,pv,1511572885",
        "1,3830808,4181361",
        "",
        "2,3830808,4181361,clk,1511593493",
        "2,3830808,4181361,cart,1511593499",
      ].join("\n"),
    );
    const lenient = await collect(await openCsvSource(file, options()));
    expect(countTypes(lenient.events)).toEqual({ DetailItemView: 1, AddToCart: 1 });
    expect(lenient.skipped).toEqual([
      { line: 2, reason: 'event value "clk" is not in --map' },
      { line: 7, reason: 'event value "clk" is not in --map' },
    ]);
    expect(lenient.blank).toEqual([6]);
    expect(
      lenient.rejections.map(({ line, errors }) => [line, errors[0]!.pointer, errors[0]!.message]),
    ).toEqual([
      [3, "/5", '"soon" is not seconds since the epoch'],
      [4, "/2", "is empty"],
      [5, "/4", "is missing: the line has 3 fields"],
    ]);

    const strict = await collect(await openCsvSource(file, options({ strict: true })));
    expect(strict.skipped).toEqual([]);
    expect(strict.rejections.map(({ line }) => line)).toEqual([2, 3, 4, 5, 7]);
    expect(strict.rejections[0]!.errors[0]).toEqual({
      pointer: "/4",
      message: '"clk" is not an event value of --map (pv, cart, fav, buy)',
    });
  });

  it("refuses a mapping or columns it cannot use", async () => {
    expect(() => parseEventMap("pv=DetailItemView,buy=Checkout")).toThrow(/Checkout is not one of/);
    expect(() => parseEventMap("pv")).toThrow(/is not value=EventType/);
    expect(() => parseEventMap("pv=DetailItemView,pv=AddToCart")).toThrow(/mapped twice/);
    const file = write("user,item,event,time\n1,2,pv,3\n");
    await expect(openCsvSource(file, options({ header: true, user: "visitor" }))).rejects.toThrow(
      new UsageError("--user visitor: no such column in the header (user, item, event, time)"),
    );
    await expect(openCsvSource(file, options({ header: true, time: "9" }))).rejects.toThrow(
      /--time 9: the header has only 4 columns/,
    );
    await expect(openCsvSource(write(""), options({ header: true }))).rejects.toThrow(
      /is empty: it has no header/,
    );
  });

  it("exits 0 with unknown values skipped, 1 with them rejected (--strict), 2 for a missing column", async () => {
    const dataDir = join(scratch(), "data");
    const file = write(
      `${["1,7,1,pv,1511544070", "1,8,1,clk,1511544071", "2,7,1,buy,1511544072"].join("\n")}\n`,
    );
    const columns = ["--no-header", "--user", "1", "--item", "2", "--event", "4", "--time", "5"];
    const run = sibyl("import", "csv", file, ...columns, "--data-dir", dataDir);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      format: "csv",
      linesRead: 3,
      eventsImported: 2,
      eventTypes: { DetailItemView: 1, PurchaseComplete: 1 },
      skipped: 1,
      skippedReasons: { 'event value "clk" is not in --map': 1 },
      linesRejected: 0,
    });
    const engine = await openEngine({ dataDir });
    expect(engine.stats()).toMatchObject({ totalEvents: 2, duplicates: 0 });
    await engine.close();

    const strict = sibyl(
      "import",
      "csv",
      file,
      ...columns,
      "--strict",
      "--out",
      join(scratch(), "out.ndjson"),
    );
    expect(strict.status).toBe(1);
    expect(JSON.parse(strict.stdout)).toMatchObject({ eventsImported: 2, linesRejected: 1, skipped: 0 });

    const wrong = sibyl(
      "import",
      "csv",
      file,
      ...["--user", "who", "--item", "2", "--event", "4", "--time", "5", "--data-dir", dataDir],
    );
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toBe("sibyl: --user who: no such column in the header (1, 7, 1, pv, 1511544070)\n");
  });
});
