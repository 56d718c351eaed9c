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

type Entry = [item: number, kind: number, timeSec: number];

function newest(store: RingStore, owner: number): Entry[] {
  const out: Entry[] = [];
  store.forEachNewest(owner, (item, kind, timeSec) => {
    out.push([item, kind, timeSec]);
  });
  return out;
}

/** Everything a caller can see of owners [0, owners). */
function observe(store: RingStore, owners: number): unknown {
  const items = new Int32Array(8);
  const kinds = new Uint8Array(8);
  const times = new Uint32Array(8);
  const seen: unknown[] = [store.ownerCount];
  for (let owner = 0; owner < owners; owner++) {
    const n = store.copyNewest(owner, 8, items, kinds, times);
    seen.push(
      store.length(owner),
      newest(store, owner),
      [...items.subarray(0, n)],
      [...times.subarray(0, n)],
    );
  }
  return seen;
}

// RingStore's writes: 0 section, 1 maxEntries, 2 owners, 3 handles, 4 starts, 5 lengths, 6.. its pool.
const HANDLES = 3;
const STARTS = 4;
const LENGTHS = 5;

/** A store with ringing, growing, cleared and merged owners. */
function sample(maxEntries = 8): RingStore {
  const store = new RingStore(maxEntries);
  for (let t = 0; t < 200; t++) store.push((t * 7) % 13, t, t & 15, 1000 + ((t * 37) % 101));
  store.push(40, 1, 2, 3);
  store.clear(3);
  store.merge(5, 6);
  store.merge(7, 50);
  store.clear(9);
  return store;
}

describe("RingStore snapshots", () => {
  it("round-trips an empty store", () => {
    const a = new RingStore(8);
    const b = restore(a, new RingStore(8));
    expect(stateHash(b)).toBe(stateHash(a));
    expect(b.ownerCount).toBe(0);
    a.push(3, 1, 1, 1);
    b.push(3, 1, 1, 1);
    expect(stateHash(b)).toBe(stateHash(a));
  });

  it.each([8, 64, 4096])(
    "restores histories after pushes, clears and merges across %i-byte chunks",
    (chunkSize) => {
      const a = sample();
      const b = restore(a, new RingStore(8), chunkSize);
      expect(stateHash(b)).toBe(stateHash(a));
      expect(observe(b, 60)).toEqual(observe(a, 60));
      expect(poolReservedWords(b)).toBe(poolReservedWords(a));
      for (let t = 0; t < 100; t++) {
        for (const s of [a, b]) {
          s.push((t * 5) % 17, t, 1, 5000 + t);
          if (t % 10 === 0) s.merge(t % 17, (t + 3) % 17);
          if (t % 13 === 0) s.clear((t * 3) % 17);
        }
      }
      expect(stateHash(b)).toBe(stateHash(a));
      expect(observe(b, 60)).toEqual(observe(a, 60));
      expect(poolReservedWords(b)).toBe(poolReservedWords(a));
    },
  );

  it("round-trips 10k owners and keeps growing the same way", () => {
    const a = new RingStore(16);
    for (let t = 0; t < 60_000; t++) a.push((t * 7919) % 10_000, t % 100_000, t & 15, t);
    for (let owner = 0; owner < 10_000; owner += 7) a.clear(owner);
    for (let owner = 1; owner < 10_000; owner += 11) a.merge(owner, owner + 1);
    const b = restore(a, new RingStore(16), 4096);
    expect(stateHash(b)).toBe(stateHash(a));
    expect(observe(b, 10_000)).toEqual(observe(a, 10_000));
    for (let t = 0; t < 20_000; t++) {
      a.push(10_000 + (t % 3000), t, 0, t);
      b.push(10_000 + (t % 3000), t, 0, t);
    }
    expect(stateHash(b)).toBe(stateHash(a));
    expect(poolReservedWords(b)).toBe(poolReservedWords(a));
  });

  it("replaces the receiving store's whole state", () => {
    const a = new RingStore(4);
    a.push(1, 2, 3, 4);
    const b = sample(4);
    for (let owner = 0; owner < 5000; owner++) b.push(owner, 1, 1, 1);
    restore(a, b);
    expect(stateHash(b)).toBe(stateHash(a));
    expect(b.ownerCount).toBe(2);
    expect(b.length(4000)).toBe(0);
    expect(observe(b, 20)).toEqual(observe(a, 20));
    a.push(7, 1, 1, 1);
    b.push(7, 1, 1, 1);
    expect(stateHash(b)).toBe(stateHash(a));
    expect(poolReservedWords(b)).toBe(poolReservedWords(a));
  });

  it("behaves like the original after a restore at any point (property)", () => {
    type Op =
      | { op: "push"; owner: number; item: number; kind: number; time: number }
      | { op: "clear"; owner: number }
      | { op: "merge"; from: number; to: number };
    const owner = fc.integer({ min: 0, max: 5 });
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record({
          op: fc.constant("push" as const),
          owner,
          item: fc.integer({ min: 0, max: 0x0fffffff }),
          kind: fc.integer({ min: 0, max: 15 }),
          time: fc.integer({ min: 0, max: 20 }),
        }),
      },
      { weight: 1, arbitrary: fc.record({ op: fc.constant("clear" as const), owner }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant("merge" as const), from: owner, to: owner }) },
    );
    const apply = (store: RingStore, o: Op): void => {
      if (o.op === "push") store.push(o.owner, o.item, o.kind, o.time);
      else if (o.op === "clear") store.clear(o.owner);
      else store.merge(o.from, o.to);
    };
    assertRestoreAtAnyPoint({
      params: fc.integer({ min: 1, max: 20 }),
      make: (maxEntries) => new RingStore(maxEntries),
      op: opArb,
      apply,
      maxOps: 200,
      maxJunk: 30,
      afterEachOp: (a, b) => expect(poolReservedWords(b)).toBe(poolReservedWords(a)),
      atEnd: (a, b) => {
        expect(observe(b, 6)).toEqual(observe(a, 6));
        expect(stateHash(b)).toBe(stateHash(a));
      },
    });
  });

  it("rejects a snapshot of another maxEntries or another component", () => {
    const a = sample(8);
    expect(() => restore(a, new RingStore(16))).toThrow(SnapshotFormatError);
    expect(() => restore(a, new RingStore(9))).toThrow(/snapshot keeps 8 entries per owner, this store 9/);
    const table = new NeighbourTable(8);
    table.add(1, 2);
    const reader = readerOf(chunksOf((out) => table.writeState(out)));
    expect(() => new RingStore(8).readState(reader)).toThrow(/expected section "ring-store"/);
  });

  it("rejects truncated input and leaves the store unchanged", () => {
    const bytes = snapshotBytes(sample());
    const b = new RingStore(8);
    b.push(2, 3, 4, 5);
    const before = stateHash(b);
    for (let length = 0; length < bytes.length; length += length < 300 ? 1 : 61) {
      expect(() => b.readState(readerOf([bytes.subarray(0, length)]))).toThrow(SnapshotFormatError);
      expect(stateHash(b)).toBe(before);
      expect(newest(b, 2)).toEqual([[3, 4, 5]]);
    }
  });

  it("rejects handles outside the pool or shared, and lengths or starts that do not fit the block", () => {
    const a = new RingStore(8);
    for (let t = 0; t < 12; t++) a.push(0, t, 0, t); // owner 0: a ring of 8, start 4
    a.push(1, 1, 0, 1);
    a.push(1, 2, 0, 2); // owner 1: 2 entries in a 4-entry block
    const corrupt = (edit: (writes: Write[]) => void): (() => void) =>
      corruptRestore(a, edit, () => new RingStore(8));
    expect(corrupt(() => {})).not.toThrow();
    const handles = recordWrites(a)[HANDLES]!.value as Uint32Array;
    expect(corrupt(setArrayEntry(HANDLES, 1, handles[1]! + 32 * 5))).toThrow(
      /owner 1: block handle \d+ points past/,
    );
    expect(corrupt(setArrayEntry(HANDLES, 1, handles[0]!))).toThrow(/owner 1: .* block already in use/);
    expect(corrupt(setArrayEntry(HANDLES, 1, 31))).toThrow(/owner 1: .* outside/);
    expect(corrupt(setArrayEntry(LENGTHS, 1, 5))).toThrow(
      /owner 1 has 5 entries from slot 0 in a block of 4 entries/,
    );
    expect(corrupt(setArrayEntry(LENGTHS, 0, 9))).toThrow(/owner 0 has 9 entries/);
    expect(corrupt(setArrayEntry(STARTS, 0, 8))).toThrow(/owner 0 has 8 entries from slot 8 in a block of 8/);
    expect(corrupt(setArrayEntry(STARTS, 1, 1))).toThrow(/owner 1 has 2 entries from slot 1 in a block of 4/);
    expect(
      corrupt((w) => {
        w[STARTS] = { kind: "array", value: new Uint16Array(3) };
      }),
    ).toThrow(/2 owners, but 2 handles, 3 starts and 2 lengths/);
  });
});
