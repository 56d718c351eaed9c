import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NeighbourTable } from "./neighbour-table.js";
import { RingStore } from "./ring-store.js";
import {
  assertRestoreAtAnyPoint,
  chunksOf,
  corruptRestore,
  poolReservedWords,
  readerOf,
  recordWrites,
  restore,
  setArrayEntry,
  snapshotBytes,
  stateHash,
  type Write,
} from "./snapshot-test-support.js";
import { SnapshotFormatError } from "./state-reader.js";

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
    expect(stateHash(b)).toBe(stateHash(a));
    expect(b.total).toBe(0);
    a.add(2, 3, 0.5);
    b.add(2, 3, 0.5);
    expect(stateHash(b)).toBe(stateHash(a));
  });

  it.each([8, 64, 4096])("restores rows, totals and evictions across %i-byte chunks", (chunkSize) => {
    const a = sample();
    const b = restore(a, new NeighbourTable(6), chunkSize);
    expect(stateHash(b)).toBe(stateHash(a));
    expect(observe(b, 100)).toEqual(observe(a, 100));
    expect(poolReservedWords(b)).toBe(poolReservedWords(a));
    for (let k = 0; k < 200; k++) {
      for (const t of [a, b]) {
        t.add((k * 3) % 31, (k * 11) % 47, 0.25 + (k % 3));
        if (k % 5 === 0) t.subtract((k * 3) % 31, (k * 11) % 47, 1);
      }
    }
    expect(stateHash(b)).toBe(stateHash(a));
    expect(observe(b, 100)).toEqual(observe(a, 100));
    expect(poolReservedWords(b)).toBe(poolReservedWords(a));
  });

  it("round-trips 10k sources and keeps growing the same way", () => {
    const a = new NeighbourTable(32);
    for (let k = 0; k < 100_000; k++) a.add((k * 7919) % 10_000, (k * 104_729) % 20_000, 1 + (k % 3));
    for (let k = 0; k < 10_000; k += 3) a.subtract(k, (k * 7) % 20_000, 2);
    const b = restore(a, new NeighbourTable(32), 4096);
    expect(stateHash(b)).toBe(stateHash(a));
    expect(observe(b, 20_000)).toEqual(observe(a, 20_000));
    for (let k = 0; k < 50_000; k++) {
      a.add(10_000 + (k % 5000), k % 50_000, 1);
      b.add(10_000 + (k % 5000), k % 50_000, 1);
    }
    expect(stateHash(b)).toBe(stateHash(a));
    expect(poolReservedWords(b)).toBe(poolReservedWords(a));
  });

  it("replaces the receiving table's whole state", () => {
    const a = new NeighbourTable(6);
    a.add(1, 2, 3);
    const b = sample();
    b.add(5000, 7000, 2);
    restore(a, b);
    expect(stateHash(b)).toBe(stateHash(a));
    expect(b.total).toBe(3);
    expect(b.rowTotal(5000)).toBe(0);
    expect(b.columnTotal(7000)).toBe(0);
    expect(b.size(5)).toBe(0);
    expect(observe(b, 50)).toEqual(observe(a, 50));
    a.add(3, 4);
    b.add(3, 4);
    expect(stateHash(b)).toBe(stateHash(a));
    expect(poolReservedWords(b)).toBe(poolReservedWords(a));
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
    assertRestoreAtAnyPoint({
      params: fc.integer({ min: 1, max: 9 }),
      make: (capacity) => new NeighbourTable(capacity),
      op: opArb,
      apply,
      maxOps: 200,
      maxJunk: 30,
      afterEachOp: (a, b, o) => {
        expect(b.weight(o.from, o.to)).toBe(a.weight(o.from, o.to));
        expect(poolReservedWords(b)).toBe(poolReservedWords(a));
      },
      atEnd: (a, b) => {
        expect(observe(b, 13)).toEqual(observe(a, 13));
        expect(stateHash(b)).toBe(stateHash(a));
      },
    });
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
    const bytes = snapshotBytes(sample());
    const b = new NeighbourTable(6);
    b.add(2, 3, 4);
    const before = stateHash(b);
    for (let length = 0; length < bytes.length; length += length < 300 ? 1 : 53) {
      expect(() => b.readState(readerOf([bytes.subarray(0, length)]))).toThrow(SnapshotFormatError);
      expect(stateHash(b)).toBe(before);
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
    const corrupt = (edit: (writes: Write[]) => void): (() => void) =>
      corruptRestore(a, edit, () => new NeighbourTable(3));
    const original = recordWrites(a);
    const handles = original[HANDLES]!.value as Uint32Array;
    expect(corrupt(() => {})).not.toThrow();
    expect(corrupt(setArrayEntry(HANDLES, 1, handles[1]! + 32 * 3))).toThrow(
      /row 1: block handle \d+ points past/,
    );
    expect(corrupt(setArrayEntry(HANDLES, 1, handles[0]!))).toThrow(/row 1: .* block already in use/);
    expect(corrupt(setArrayEntry(SIZES, 1, 2))).not.toThrow(); // stale words past size 1 are still a valid id (0)
    expect(corrupt(setArrayEntry(SIZES, 0, 4))).toThrow(
      /row 0 has 4 neighbours in a block of 4 entries \(capacity 3\)/,
    );
    expect(corrupt(setArrayEntry(SIZES, 1, 5))).toThrow(/row 1 has 5 neighbours in a block of 4 entries/);
    // Row 0's block is the first of the only size class; its word 0 is the first neighbour id (4).
    expect((original[FIRST_CLASS_WORDS]!.value as Uint32Array)[0]).toBe(4);
    expect(corrupt(setArrayEntry(FIRST_CLASS_WORDS, 0, 5))).toThrow(
      /row 0 has neighbour 5, but only 5 columns/,
    );
    expect(corrupt(setArrayEntry(ROW_TOTALS, 1, -1))).toThrow(/row 1 has total -1/);
    expect(corrupt(setArrayEntry(COLUMN_TOTALS, 4, Number.NaN))).toThrow(/column 4 has total NaN/);
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
