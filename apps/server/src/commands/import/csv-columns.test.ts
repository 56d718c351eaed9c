import { describe, expect, it } from "vitest";
import { ColumnError, contentId, parseTime, resolveColumn } from "./csv-columns.js";

describe("CSV columns", () => {
  const header = ["user_id", "2", "a/b~c", "time"];

  it("finds a column by header name first, then by 1-based position", () => {
    expect(resolveColumn("user_id", header, "--user")).toEqual({
      index: 0,
      name: "user_id",
      pointer: "/user_id",
    });
    expect(resolveColumn("2", header, "--item")).toMatchObject({ index: 1, name: "2" });
    expect(resolveColumn("4", header, "--time")).toMatchObject({ index: 3, name: "time", pointer: "/time" });
    expect(resolveColumn("a/b~c", header, "--event").pointer).toBe("/a~1b~0c");
    expect(resolveColumn("3", undefined, "--event")).toEqual({ index: 2, name: "3", pointer: "/3" });
    expect(() => resolveColumn("user", undefined, "--user")).toThrow(ColumnError);
    expect(() => resolveColumn("0", header, "--user")).toThrow(/no such column/);
    expect(() => resolveColumn("5", header, "--user")).toThrow(/has only 4 columns/);
  });

  it("reads times in seconds, milliseconds or ISO 8601 (UTC without a zone), and nothing else", () => {
    expect(parseTime("1511544070", "s")).toBe(1_511_544_070_000);
    expect(parseTime(" 1511544070.25 ", "s")).toBe(1_511_544_070_250);
    expect(parseTime("1659304800025", "ms")).toBe(1_659_304_800_025);
    expect(parseTime("2017-11-24", "iso")).toBe(Date.UTC(2017, 10, 24));
    expect(parseTime("2017-11-24 17:21", "iso")).toBe(Date.UTC(2017, 10, 24, 17, 21));
    expect(parseTime("2017-11-24T17:21:10.5+0100", "iso")).toBe(Date.UTC(2017, 10, 24, 16, 21, 10, 500));
    for (const [value, unit] of [
      ["", "s"],
      ["-5", "s"],
      ["1e9", "s"],
      ["1.5", "ms"],
      ["24/11/2017", "iso"],
      ["2017-13-45", "iso"],
      ["1511544070", "iso"],
    ] as const)
      expect(parseTime(value, unit), `${value} in ${unit}`).toBeUndefined();
  });

  it("makes the same short id of the same values, and different ids of different ones", () => {
    const id = contentId("csv", ["1", "2268318", "pv", "1511544070000"]);
    expect(id).toMatch(/^csv-[\w-]{22}$/);
    expect(contentId("csv", ["1", "2268318", "pv", "1511544070000"])).toBe(id);
    expect(contentId("csv", ["12", "268318", "pv", "1511544070000"])).not.toBe(id);
    expect(contentId("csv", ["x".repeat(500)]).length).toBe(26);
  });
});
