import { describe, expect, it } from "vitest";
import { parseNdjson } from "./parse-ndjson.js";

const view = (item: string) =>
  JSON.stringify({ event_type: "DetailItemView", user_info: { visitor_id: "v-1" }, item: { item_id: item } });

describe("parseNdjson", () => {
  it("returns the valid events with their line numbers and reports each bad line", () => {
    const text = [
      view("a"),
      "{not json",
      "",
      view("b"),
      JSON.stringify({ event_type: "AddToCart", user_info: { visitor_id: "v-1" }, items: [] }),
      JSON.stringify({ event_type: "Teleport" }),
    ].join("\n");
    const result = parseNdjson(text);
    expect(
      result.events.map((event) => (event.event_type === "DetailItemView" ? event.item.item_id : "")),
    ).toEqual(["a", "b"]);
    expect(result.eventLines).toEqual([1, 4]);
    expect(result.rejected).toEqual([
      { line: 2, errors: [{ pointer: "", message: expect.stringMatching(/^is not valid JSON: /) }] },
      {
        line: 5,
        event_type: "AddToCart",
        errors: [{ pointer: "/items", message: "must NOT have fewer than 1 items" }],
      },
      {
        line: 6,
        event_type: "Teleport",
        errors: [{ pointer: "/event_type", message: '"Teleport" is not a Sibyl event type' }],
      },
    ]);
  });

  it("accepts CRLF line ends, a trailing newline, a byte order mark and blank lines", () => {
    const result = parseNdjson(`\uFEFF${view("a")}\r\n\r\n   \n${view("b")}\r\n`);
    expect(result.rejected).toEqual([]);
    expect(result.eventLines).toEqual([1, 4]);
  });

  it("reads bytes as UTF-8 and rejects only the lines that are not valid UTF-8", () => {
    const good = new TextEncoder().encode(`${view("é")}\n`);
    const bad = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d, 0x0a]);
    const bytes = new Uint8Array([...good, ...bad, ...good]);
    const result = parseNdjson(bytes);
    expect(result.eventLines).toEqual([1, 3]);
    expect(result.rejected).toEqual([{ line: 2, errors: [{ pointer: "", message: "is not valid UTF-8" }] }]);
  });

  it("treats a line holding an array or a scalar as a rejected line, not as several events", () => {
    const result = parseNdjson(`[${view("a")}]\n42\nnull`);
    expect(result.events).toEqual([]);
    expect(result.rejected.map((line) => [line.line, line.errors[0]?.pointer])).toEqual([
      [1, ""],
      [2, ""],
      [3, ""],
    ]);
  });

  it("returns nothing for empty input", () => {
    expect(parseNdjson("")).toEqual({ events: [], eventLines: [], rejected: [] });
    expect(parseNdjson(new Uint8Array())).toEqual({ events: [], eventLines: [], rejected: [] });
  });
});

describe("parseNdjson with maxLineBytes", () => {
  it("rejects lines over the limit unparsed and keeps the others, for text and bytes", () => {
    const long = JSON.stringify({ event_type: "HomePageView", user_info: { visitor_id: "x".repeat(100) } });
    const text = `${view("a")}\n${long}\n${view("b")}`;
    for (const input of [text, new TextEncoder().encode(`\uFEFF${text}`)]) {
      const result = parseNdjson(input, { maxLineBytes: 100 });
      expect(result.eventLines).toEqual([1, 3]);
      expect(result.rejected).toEqual([
        { line: 2, errors: [{ pointer: "", message: "is longer than 100 bytes" }] },
      ]);
    }
  });
});
