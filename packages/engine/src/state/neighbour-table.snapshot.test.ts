import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BinaryStateReader, BinaryStateWriter } from "./binary-state.js";
import type { BlockPool } from "./block-pool.js";
import { NeighbourTable } from "./neighbour-table.js";
import { RingStore } from "./ring-store.js";
import { SnapshotFormatError, type StateArray } from "./state-reader.js";
import { HashingStateWriter, type StateWriter } from "./state-writer.js";

function chunksOf(write: (out: StateWriter) => void, chunkSize = 64): Buffer[] {
  const chunks: Buffer[] = [];
  const writer = new BinaryStateWriter((chunk) => chunks.push(Buffer.from(chunk)), chunkSize);
  write(writer);
  writer.flush();
  return chunks;
}

function readerOf(chunks: Buffer[]): BinaryStateReader {
  return new BinaryStateReader(chunks[Symbol.iterator]());
}

function hash(table: NeighbourTable): string {
  const out = new HashingStateWriter();
  table.writeState(out);
  return out.digest();
}

function restore(source: NeighbourTable, target: NeighbourTable, chunkSize = 64): NeighbourTable {
  const reader = readerOf(chunksOf((out) => source.writeState(out), chunkSize));
  target.readState(reader);
  expect(reader.done).toBe(true);
  return target;
}

/** Words the table's pool reserves: not observable through the API, but must grow the same way after a restore. */
function reserved(table: NeighbourTable): number {
  return (table as unknown as { pool: BlockPool }).pool.reservedWords;
}

/** Everything a caller can see of sources and neighbours in [0, ids). */
function observe(table: NeighbourTable, ids: number): unknown {
  const seen: unknown[] = [table.total];
  for (let id = 0; id < ids; id++) {
    const entries: number[] = [];
    table.forEach(id, (to, weight) => {
      entries.push(to, weight);
    });
    seen.push(
      table.size(id),
      table.rowTotal(id),
      table.columnTotal(id),
      entries,
      table.weight(id, (id * 7) % ids),
    );
  }
  return seen;
}

type Write =
  | { kind: "section"; value: string }
  | { kind: "string"; value: string }
  | { kind: "u32"; value: number }
  | { kind: "f64"; value: number }
  | { kind: "array"; value: StateArray };

class RecordingWriter implements StateWriter {
  readonly writes: Write[] = [];
  section(value: string): void {
    this.writes.push({ kind: "section", value });
  }
  u32(value: number): void {
    this.writes.push({ kind: "u32", value });
  }
  f64(value: number): void {
    this.writes.push({ kind: "f64", value });
  }
  string(value: string): void {
    this.writes.push({ kind: "string", value });
  }
  array(values: ArrayBufferView): void {
    this.writes.push({ kind: "array", value: (values as StateArray).slice() });
  }
}

function replay(writes: Write[]): BinaryStateReader {
  return readerOf(
    chunksOf((out) => {
      for (const w of writes) {
        if (w.kind === "array") out.array(w.value);
        else if (w.kind === "u32") out.u32(w.value);
        else if (w.kind === "f64") out.f64(w.value);
        else if (w.kind === "section") out.section(w.value);
        else out.string(w.value);
      }
    }),
  );
}

// NeighbourTable's writes: 0 section, 1 capacity, 2 rows, 3 columns, 4 grand total, 5 handles, 6 sizes,
// 7 row totals, 8 column totals, 9.. its pool (9 section, 10 minLog2, 11 maxLog2, then per class used, free
// head, free count, words).
const GRAND_TOTAL = 4;
const HANDLES = 5;
const SIZES = 6;
const ROW_TOTALS = 7;
const COLUMN_TOTALS = 8;
const FIRST_CLASS_WORDS = 15;

/** A table with growing, full (evicting) and subtracted rows. */
function sample(capacity = 6): NeighbourTable {
  const table = new NeighbourTable(capacity);
  for (let k = 0; k < 300; k++) table.add((k * 7) % 23, (k * 13) % 41, 1 + (k % 4) / 4);
  table.add(60, 2, 0.2);
  table.subtract(60, 2, 0.2); // row 60 emptied: its block is freed
  table.subtract(3, 5, 100);
  table.subtract(4, 1);
  table.subtract(90, 95, 1); // never added
  return table;
}

describe("NeighbourTable snapshots", () => {
  it("round-trips an empty table", () => {
    const a = new NeighbourTable(8);
    const b = restore(a, new NeighbourTable(8));
    expect(hash(b)).toBe(hash(a));
    expect(b.total).toBe(0);
    a.add(2, 3, 0.5);
    b.add(2, 3, 0.5);
    expect(hash(b)).toBe(hash(a));
  });

  it.each([8, 64, 4096])("restores rows, totals and evictions across %i-byte chunks", (chunkSize) => {
    const a = sample();
    const b = restore(a, new NeighbourTable(6), chunkSize);
    expect(hash(b)).toBe(hash(a));
    expect(observe(b, 100)).toEqual(observe(a, 100));
    expect(reserved(b)).toBe(reserved(a));
    for (let k = 0; k < 200; k++) {
      for (const t of [a, b]) {
        t.add((k * 3) % 31, (k * 11) % 47, 0.25 + (k % 3));
        if (k % 5 === 0) t.subtract((k * 3) % 31, (k * 11) % 47, 1);
      }
    }
    expect(hash(b)).toBe(hash(a));
    expect(observe(b, 100)).toEqual(observe(a, 100));
    expect(reserved(b)).toBe(reserved(a));
  });

  it("round-trips 10k sources and keeps growing the same way", () => {
    const a = new NeighbourTable(32);
    for (let k = 0; k < 100_000; k++) a.add((k * 7919) % 10_000, (k * 104_729) % 20_000, 1 + (k % 3));
    for (let k = 0; k < 10_000; k += 3) a.subtract(k, (k * 7) % 20_000, 2);
    const b = restore(a, new NeighbourTable(32), 4096);
    expect(hash(b)).toBe(hash(a));
    expect(observe(b, 20_000)).toEqual(observe(a, 20_000));
    for (let k = 0; k < 50_000; k++) {
      a.add(10_000 + (k % 5000), k % 50_000, 1);
      b.add(10_000 + (k % 5000), k % 50_000, 1);
    }
    expect(hash(b)).toBe(hash(a));
    expect(reserved(b)).toBe(reserved(a));
  });

  it("replaces the receiving table's whole state", () => {
    const a = new NeighbourTable(6);
    a.add(1, 2, 3);
    const b = sample();
    b.add(5000, 7000, 2);
    restore(a, b);
    expect(hash(b)).toBe(hash(a));
    expect(b.total).toBe(3);
    expect(b.rowTotal(5000)).toBe(0);
    expect(b.columnTotal(7000)).toBe(0);
    expect(b.size(5)).toBe(0);
    expect(observe(b, 50)).toEqual(observe(a, 50));
    a.add(3, 4);
    b.add(3, 4);
    expect(hash(b)).toBe(hash(a));
    expect(reserved(b)).toBe(reserved(a));
  });

  it("behaves like the original after a restore at any point (property)", () => {
    type Op = { op: "add" | "subtract"; from: number; to: number; weight: number };
    const id = fc.integer({ min: 0, max: 7 });
    const opArb: fc.Arbitrary<Op> = fc.record({
      op: fc.constantFrom("add" as const, "add" as const, "subtract" as const),
      from: id,
      to: fc.integer({ min: 0, max: 12 }),
      weight: fc.constantFrom(0, 0.2, 0.5, 1, 1, 2, 3.75),
    });
    const apply = (table: NeighbourTable, o: Op): void => {
      if (o.op === "add") table.add(o.from, o.to, o.weight);
      else table.subtract(o.from, o.to, o.weight);
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.array(opArb, { maxLength: 200 }),
        fc.array(opArb, { maxLength: 30 }),
        fc.nat(),
        fc.constantFrom(8, 64, 4096),
        (capacity, ops, junk, cut, chunkSize) => {
          const split = cut % (ops.length + 1);
          const a = new NeighbourTable(capacity);
          for (const o of ops.slice(0, split)) apply(a, o);
          const b = new NeighbourTable(capacity);
          for (const o of junk) apply(b, o);
          restore(a, b, chunkSize);
          expect(hash(b)).toBe(hash(a));
          for (const o of ops.slice(split)) {
            apply(a, o);
            apply(b, o);
            expect(b.weight(o.from, o.to)).toBe(a.weight(o.from, o.to));
            expect(reserved(b)).toBe(reserved(a));
          }
          expect(observe(b, 13)).toEqual(observe(a, 13));
          expect(hash(b)).toBe(hash(a));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("rejects a snapshot of another capacity or another component", () => {
    const a = sample(6);
    expect(() => restore(a, new NeighbourTable(8))).toThrow(SnapshotFormatError);
    expect(() => restore(a, new NeighbourTable(7))).toThrow(
      /snapshot keeps 6 neighbours per source, this table 7/,
    );
    const store = new RingStore(8);
    store.push(1, 2, 3, 4);
    const reader = readerOf(chunksOf((out) => store.writeState(out)));
    expect(() => new NeighbourTable(8).readState(reader)).toThrow(/expected section "neighbour-table"/);
  });

  it("rejects truncated input and leaves the table unchanged", () => {
    const bytes = Buffer.concat(chunksOf((out) => sample().writeState(out)));
    const b = new NeighbourTable(6);
    b.add(2, 3, 4);
    const before = hash(b);
    for (let length = 0; length < bytes.length; length += length < 300 ? 1 : 53) {
      expect(() => b.readState(readerOf([bytes.subarray(0, length)]))).toThrow(SnapshotFormatError);
      expect(hash(b)).toBe(before);
      expect(b.weight(2, 3)).toBe(4);
    }
  });

  it("rejects handles outside the pool or shared, sizes that do not fit, unknown neighbours, bad totals", () => {
    const a = new NeighbourTable(3);
    a.add(0, 1);
    a.add(0, 2);
    a.add(0, 3);
    a.add(0, 4); // row 0: full, 3 neighbours in a 4-entry block
    a.add(1, 2); // row 1: 1 neighbour
    const corrupt = (edit: (writes: Write[]) => void): (() => void) => {
      const out = new RecordingWriter();
      a.writeState(out);
      edit(out.writes);
      return () => new NeighbourTable(3).readState(replay(out.writes));
    };
    const set = (at: number, index: number, value: number) => (writes: Write[]) => {
      (writes[at] as { value: StateArray }).value[index] = value;
    };
    const original = new RecordingWriter();
    a.writeState(original);
    const handles = original.writes[HANDLES]!.value as Uint32Array;
    expect(corrupt(() => {})).not.toThrow();
    expect(corrupt(set(HANDLES, 1, handles[1]! + 32 * 3))).toThrow(/row 1: block handle \d+ points past/);
    expect(corrupt(set(HANDLES, 1, handles[0]!))).toThrow(/row 1: .* block already in use/);
    expect(corrupt(set(SIZES, 1, 2))).not.toThrow(); // stale words past size 1 are still a valid id (0)
    expect(corrupt(set(SIZES, 0, 4))).toThrow(
      /row 0 has 4 neighbours in a block of 4 entries \(capacity 3\)/,
    );
    expect(corrupt(set(SIZES, 1, 5))).toThrow(/row 1 has 5 neighbours in a block of 4 entries/);
    // Row 0's block is the first of the only size class; its word 0 is the first neighbour id (4).
    expect((original.writes[FIRST_CLASS_WORDS]!.value as Uint32Array)[0]).toBe(4);
    expect(corrupt(set(FIRST_CLASS_WORDS, 0, 5))).toThrow(/row 0 has neighbour 5, but only 5 columns/);
    expect(corrupt(set(ROW_TOTALS, 1, -1))).toThrow(/row 1 has total -1/);
    expect(corrupt(set(COLUMN_TOTALS, 4, Number.NaN))).toThrow(/column 4 has total NaN/);
    expect(
      corrupt((w) => {
        (w[GRAND_TOTAL] as { value: number }).value = -0.5;
      }),
    ).toThrow(/grand total -0.5/);
    expect(
      corrupt((w) => {
        w[COLUMN_TOTALS] = { kind: "array", value: new Float64Array(4) };
      }),
    ).toThrow(/5 columns, but 4 column totals/);
    expect(
      corrupt((w) => {
        w[SIZES] = { kind: "array", value: new Uint16Array(3) };
      }),
    ).toThrow(/2 rows, but 2 handles, 3 sizes and 2 row totals/);
  });
});
