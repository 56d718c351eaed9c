import { describe, expect, it } from "vitest";
import { BinaryStateReader, BinaryStateWriter } from "./binary-state.js";
import { SnapshotFormatError } from "./state-reader.js";

function roundTrip(chunkSize: number, write: (writer: BinaryStateWriter) => void): BinaryStateReader {
  const chunks: Buffer[] = [];
  const writer = new BinaryStateWriter((chunk) => chunks.push(Buffer.from(chunk)), chunkSize);
  write(writer);
  writer.flush();
  for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(chunkSize);
  return new BinaryStateReader(chunks[Symbol.iterator]());
}

describe("binary state", () => {
  it.each([9, 16, 4096])(
    "reads back sections, numbers, strings and arrays across %i-byte chunks",
    (chunkSize) => {
      const big = Float64Array.from({ length: 1000 }, (_, index) => index / 3);
      const reader = roundTrip(chunkSize, (writer) => {
        writer.section("one");
        writer.u32(4_000_000_000);
        writer.f64(-0.125);
        writer.f64(Number.NaN);
        writer.string("Grüße, 世界");
        writer.array(big);
        writer.array(new Uint8Array([1, 2, 3]).subarray(1));
        writer.string("");
      });
      reader.section("one");
      expect(reader.u32()).toBe(4_000_000_000);
      expect(reader.f64()).toBe(-0.125);
      expect(reader.f64()).toBeNaN();
      expect(reader.string()).toBe("Grüße, 世界");
      expect(reader.array(Float64Array)).toEqual(big);
      expect([...reader.array(Uint8Array)]).toEqual([2, 3]);
      expect(reader.string()).toBe("");
      expect(reader.done).toBe(true);
    },
  );

  it("names the section it expected when the data does not match", () => {
    const reader = roundTrip(64, (writer) => writer.section("catalog"));
    expect(() => reader.section("visitors")).toThrow(/expected section "visitors", found "§catalog"/);
  });

  it("reports truncated state instead of reading garbage", () => {
    const chunks: Buffer[] = [];
    const writer = new BinaryStateWriter((chunk) => chunks.push(Buffer.from(chunk)), 64);
    writer.array(new Uint32Array(100));
    writer.flush();
    const reader = new BinaryStateReader(chunks.slice(0, 2)[Symbol.iterator]());
    expect(() => reader.array(Uint32Array)).toThrow(SnapshotFormatError);
  });
});
