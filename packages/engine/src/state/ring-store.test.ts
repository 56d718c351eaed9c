import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RingStore } from "./ring-store.js";
import { HashingStateWriter } from "./state-writer.js";

type Entry = [item: number, kind: number, timeSec: number];

function newest(store: RingStore, owner: number): Entry[] {
  const out: Entry[] = [];
  store.forEachNewest(owner, (item, kind, timeSec) => {
    out.push([item, kind, timeSec]);
  });
  return out;
}

function hash(store: RingStore): string {
  const out = new HashingStateWriter();
  store.writeState(out);
  return out.digest();
}

describe("RingStore", () => {
  it("returns entries newest first, with item, kind and time intact", () => {
    const store = new RingStore(8);
    store.push(3, 10, 1, 100);
    store.push(3, 0x0fffffff, 15, 0xffffffff);
    store.push(3, 0, 0, 0);
    expect(store.length(3)).toBe(3);
    expect(newest(store, 3)).toEqual([
      [0, 0, 0],
      [0x0fffffff, 15, 0xffffffff],
      [10, 1, 100],
    ]);
    expect(store.length(2)).toBe(0);
    expect(newest(store, 2)).toEqual([]);
    expect(store.length(1_000_000)).toBe(0);
  });

  it("keeps owners apart", () => {
    const store = new RingStore(4);
    store.push(0, 1, 0, 1);
    store.push(5000, 2, 0, 2);
    store.push(0, 3, 0, 3);
    expect(newest(store, 0)).toEqual([
      [3, 0, 3],
      [1, 0, 1],
    ]);
    expect(newest(store, 5000)).toEqual([[2, 0, 2]]);
    expect(store.ownerCount).toBe(5001);
  });

  it("grows across size classes preserving order, then overwrites the oldest beyond maxEntries", () => {
    const store = new RingStore(64);
    for (let t = 1; t <= 64; t++) store.push(7, t, t & 15, t);
    expect(store.length(7)).toBe(64);
    expect(newest(store, 7).map((e) => e[2])).toEqual(Array.from({ length: 64 }, (_, k) => 64 - k));
    for (let t = 65; t <= 100; t++) store.push(7, t, t & 15, t);
    expect(store.length(7)).toBe(64);
    const times = newest(store, 7).map((e) => e[2]);
    expect(times).toEqual(Array.from({ length: 64 }, (_, k) => 100 - k));
    expect(newest(store, 7)[0]).toEqual([100, 100 & 15, 100]);
  });

  it("rings correctly when maxEntries is not a power of two", () => {
    const store = new RingStore(5);
    for (let t = 1; t <= 12; t++) store.push(0, t, 0, t);
    expect(newest(store, 0).map((e) => e[0])).toEqual([12, 11, 10, 9, 8]);
  });

  it("stops visiting when the visitor returns false", () => {
    const store = new RingStore(8);
    for (let t = 1; t <= 6; t++) store.push(0, t, 0, t);
    const seen: number[] = [];
    store.forEachNewest(0, (item) => {
      seen.push(item);
      return seen.length < 2;
    });
    expect(seen).toEqual([6, 5]);
  });

  it("rejects values that do not fit the packed layout", () => {
    const store = new RingStore(8);
    expect(() => store.push(0, 0x10000000, 0, 0)).toThrow(RangeError);
    expect(() => store.push(0, 1, 16, 0)).toThrow(RangeError);
    expect(() => store.push(-1, 1, 0, 0)).toThrow(RangeError);
    expect(() => store.push(0, 1, 0, -5)).toThrow(RangeError);
    expect(store.length(0)).toBe(0);
  });

  it("clear empties an owner, which can then start again", () => {
    const store = new RingStore(8);
    for (let t = 1; t <= 10; t++) store.push(1, t, 0, t);
    store.push(2, 99, 0, 99);
    store.clear(1);
    expect(store.length(1)).toBe(0);
    expect(newest(store, 1)).toEqual([]);
    store.push(1, 42, 3, 7);
    expect(newest(store, 1)).toEqual([[42, 3, 7]]);
    expect(newest(store, 2)).toEqual([[99, 0, 99]]);
  });

  it("merge interleaves by time, the target's entries first on ties, and clears the source", () => {
    const store = new RingStore(16);
    // to = 1, from = 2
    store.push(1, 10, 0, 100);
    store.push(1, 11, 0, 300);
    store.push(2, 20, 1, 200);
    store.push(2, 21, 1, 300);
    store.push(2, 22, 1, 400);
    store.merge(2, 1);
    expect(newest(store, 1)).toEqual([
      [22, 1, 400],
      [21, 1, 300],
      [11, 0, 300],
      [20, 1, 200],
      [10, 0, 100],
    ]);
    expect(store.length(2)).toBe(0);
    // The merged history keeps growing and ringing normally.
    for (let t = 0; t < 20; t++) store.push(1, 30 + t, 2, 500 + t);
    expect(store.length(1)).toBe(16);
    expect(newest(store, 1)[0]).toEqual([49, 2, 519]);
    expect(newest(store, 1)[15]).toEqual([34, 2, 504]);
  });

  it("merge keeps only the newest maxEntries", () => {
    const store = new RingStore(4);
    for (const t of [1, 3, 5, 7, 9, 11]) store.push(0, t, 0, t); // rings: keeps 5, 7, 9, 11
    for (const t of [2, 4, 6, 8, 10]) store.push(1, t, 0, t); // keeps 4, 6, 8, 10
    store.merge(1, 0);
    expect(newest(store, 0).map((e) => e[2])).toEqual([11, 10, 9, 8]);
    expect(store.length(1)).toBe(0);
  });

  it("merge into an empty owner moves the history as is", () => {
    const store = new RingStore(4);
    for (let t = 1; t <= 6; t++) store.push(0, t, 0, t);
    store.merge(0, 9);
    expect(newest(store, 9).map((e) => e[0])).toEqual([6, 5, 4, 3]);
    expect(store.length(0)).toBe(0);
    store.push(9, 7, 0, 7);
    expect(newest(store, 9).map((e) => e[0])).toEqual([7, 6, 5, 4]);
    store.merge(5, 9); // empty source: nothing happens
    store.merge(9, 9);
    expect(store.length(9)).toBe(4);
  });

  it("hashes the same call sequence the same way, and a different one differently", () => {
    const run = (swap: boolean) => {
      const store = new RingStore(8);
      for (let t = 0; t < 30; t++) store.push(t % 3, t, t & 15, 1000 + t);
      store.push(1, 5, 0, swap ? 2 : 1);
      store.push(1, 6, 0, swap ? 1 : 2);
      store.merge(2, 0);
      store.clear(1);
      store.push(1, 7, 0, 3);
      return hash(store);
    };
    expect(run(false)).toBe(run(false));
    expect(run(false)).not.toBe(run(true));
    const a = new RingStore(8);
    a.push(0, 1, 0, 1);
    const b = new RingStore(8);
    b.push(0, 1, 0, 2);
    expect(hash(a)).not.toBe(hash(b));
  });

  it("behaves like a plain array model (property)", () => {
    type Op =
      | { op: "push"; owner: number; item: number; kind: number; time: number }
      | { op: "clear"; owner: number }
      | { op: "merge"; from: number; to: number };
    const owner = fc.integer({ min: 0, max: 3 });
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record({
          op: fc.constant("push" as const),
          owner,
          item: fc.integer({ min: 0, max: 0x0fffffff }),
          kind: fc.integer({ min: 0, max: 15 }),
          // Few distinct times so that ties and out-of-order times are common.
          time: fc.integer({ min: 0, max: 20 }),
        }),
      },
      { weight: 1, arbitrary: fc.record({ op: fc.constant("clear" as const), owner }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant("merge" as const), from: owner, to: owner }) },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(opArb, { maxLength: 300 }), (maxEntries, ops) => {
        const store = new RingStore(maxEntries);
        const model: Entry[][] = [[], [], [], []];
        for (const o of ops) {
          if (o.op === "push") {
            store.push(o.owner, o.item, o.kind, o.time);
            const list = model[o.owner]!;
            list.push([o.item, o.kind, o.time]);
            if (list.length > maxEntries) list.shift();
          } else if (o.op === "clear") {
            store.clear(o.owner);
            model[o.owner] = [];
          } else {
            store.merge(o.from, o.to);
            if (o.from !== o.to) {
              const a = model[o.to]!;
              const b = model[o.from]!;
              const merged: Entry[] = [];
              let i = 0;
              let j = 0;
              while (i < a.length || j < b.length) {
                if (j >= b.length || (i < a.length && a[i]![2] <= b[j]![2])) merged.push(a[i++]!);
                else merged.push(b[j++]!);
              }
              model[o.to] = merged.slice(Math.max(0, merged.length - maxEntries));
              model[o.from] = [];
            }
          }
        }
        for (let k = 0; k < 4; k++) {
          expect(store.length(k)).toBe(model[k]!.length);
          expect(newest(store, k)).toEqual([...model[k]!].reverse());
        }
      }),
      { numRuns: 300 },
    );
  });
});
