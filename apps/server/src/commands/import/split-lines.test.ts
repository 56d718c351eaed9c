import { describe, expect, it } from "vitest";
import { type Line, splitLines } from "./split-lines.js";

async function* chunksOf(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, "utf8");
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function lines(text: string, size: number, max = 1000): Promise<(string | null)[]> {
  const out: Line[] = [];
  for await (const line of splitLines(chunksOf(text, size), max)) out.push(line);
  expect(out.map((line) => line.number)).toEqual(out.map((_, index) => index + 1));
  return out.map((line) => (line.tooLong ? null : line.bytes.toString("utf8")));
}

describe("splitLines", () => {
  const text = 'first\r\n\r\n{"é":"ü"}\n\nlast without newline';
  const expected = ["first", "", '{"é":"ü"}', "", "last without newline"];

  it("splits at \\n and drops the \\r of \\r\\n, whatever the chunk boundaries", async () => {
    for (const size of [1, 2, 3, 5, 7, 64]) expect(await lines(text, size)).toEqual(expected);
  });

  it("yields no empty line after a final newline, and nothing for an empty input", async () => {
    expect(await lines("a\nb\n", 1)).toEqual(["a", "b"]);
    expect(await lines("a\r\n", 2)).toEqual(["a"]);
    expect(await lines("", 4)).toEqual([]);
    expect(await lines("\n", 4)).toEqual([""]);
  });

  it("skips lines longer than the limit without holding them, and goes on after them", async () => {
    const long = "x".repeat(50);
    for (const size of [1, 7, 100]) {
      expect(await lines(`ok\n${long}\nfine\r\n${"y".repeat(10)}\r\n${long}`, size, 10)).toEqual([
        "ok",
        null,
        "fine",
        "y".repeat(10),
        null,
      ]);
    }
  });
});
