import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RingStore } from "../state/ring-store.js";
import {
  assertRestoreAtAnyPoint,
  chunksOf,
  corruptRestore,
  readerOf,
  recordWrites,
  replay,
  restore,
  setArrayEntry,
  snapshotBytes,
  stateHash,
  type Write,
} from "../state/snapshot-test-support.js";
import { SnapshotFormatError } from "../state/state-reader.js";
import { TEXT_INDEX_BOUNDS, type TextFields, TextIndex } from "./text-index.js";

function results(index: TextIndex, query: string, limit = 1000): [number, number][] {
  const out: [number, number][] = [];
  index.search(query, limit, (item, score) => out.push([item, score]));
  return out;
}

/** What a caller can see: size, membership of items [0, items), and the results of `queries`. */
function observe(index: TextIndex, items: number, queries: readonly string[]): unknown {
  const members: number[] = [];
  for (let item = 0; item < items; item++) if (index.has(item)) members.push(item);
  return { size: index.size, members, results: queries.map((query) => results(index, query)) };
}

// TextIndex's writes: 0 section, 1 count, 2 items (hi), 3 present flags, 4 token count, 5 token offsets,
// 6 token characters, 7.. posting chunks (per token: live count, then item × 4 + code).
const COUNT = 1;
const PRESENT = 3;
const OFFSETS = 5;
const CHARS = 6;
const POSTINGS = 7;

const QUERIES = ["red shoe", "shoe", "sho", "blue hat", "bra", "cat1 sub2", "renamed sale", "item", "zzz"];

/** An index with re-indexed, removed, text-less and re-added items. */
function sample(): TextIndex {
  const index = new TextIndex();
  for (let i = 0; i < 300; i++) {
    index.set(i, {
      title: `item ${i % 17} ${i % 2 === 0 ? "red" : "blue"} shoes`,
      brand: `brand${i % 5}`,
      tags: i % 3 === 0 ? ["hat"] : [],
      categories: [`cat${i % 3} > sub${i % 7}`],
    });
  }
  for (let i = 0; i < 300; i += 4) index.remove(i);
  for (let i = 1; i < 300; i += 5) index.set(i, { title: `renamed ${i}`, tags: ["sale"] });
  for (let i = 2; i < 300; i += 11) index.set(i, {});
  index.set(8, { title: "back again red shoe" });
  return index;
}

/** The same calls on both indexes. */
function both(a: TextIndex, b: TextIndex, act: (index: TextIndex) => void): void {
  act(a);
  act(b);
}

describe("TextIndex snapshots", () => {
  it("round-trips an empty index", () => {
    const a = new TextIndex();
    const b = restore(a, new TextIndex());
    expect(stateHash(b)).toBe(stateHash(a));
    expect(observe(b, 10, QUERIES)).toEqual(observe(a, 10, QUERIES));
    both(a, b, (index) => index.set(3, { title: "red shoe" }));
    expect(stateHash(b)).toBe(stateHash(a));
    expect(observe(b, 10, QUERIES)).toEqual(observe(a, 10, QUERIES));
  });

  it.each([8, 64, 4096])(
    "restores a small index across %i-byte chunks and keeps behaving alike",
    (chunkSize) => {
      const a = sample();
      const b = restore(a, new TextIndex(), chunkSize);
      expect(stateHash(b)).toBe(stateHash(a));
      expect(observe(b, 320, QUERIES)).toEqual(observe(a, 320, QUERIES));
      for (let i = 0; i < 320; i += 3) {
        both(a, b, (index) => {
          if (i % 2 === 0) index.remove(i);
          else index.set(i, { title: `new${i % 13} red hat`, categories: ["cat9"] });
        });
      }
      expect(stateHash(b)).toBe(stateHash(a));
      expect(observe(b, 320, [...QUERIES, "new", "new1 hat"])).toEqual(
        observe(a, 320, [...QUERIES, "new", "new1 hat"]),
      );
    },
  );

  it("indexes items without text in a fresh or restored index", () => {
    const a = new TextIndex();
    a.set(0, {});
    expect(a.size).toBe(1);
    a.set(1, { title: "gone" });
    a.remove(1);
    const b = restore(a, new TextIndex());
    both(a, b, (index) => {
      index.set(2, {});
      index.set(0, { title: "found" });
      index.set(0, {});
    });
    expect(stateHash(b)).toBe(stateHash(a));
    expect(observe(b, 4, ["found", "gone"])).toEqual(observe(a, 4, ["found", "gone"]));
    expect(b.size).toBe(2);
  });

  it("replaces the receiving index's whole state", () => {
    const a = new TextIndex();
    a.set(5, { title: "only one" });
    const b = sample();
    restore(a, b);
    expect(stateHash(b)).toBe(stateHash(a));
    expect(b.size).toBe(1);
    expect(b.has(8)).toBe(false);
    expect(observe(b, 320, [...QUERIES, "one"])).toEqual(observe(a, 320, [...QUERIES, "one"]));
    both(a, b, (index) => index.set(9, { title: "red shoe one" }));
    expect(stateHash(b)).toBe(stateHash(a));
    expect(observe(b, 320, [...QUERIES, "one"])).toEqual(observe(a, 320, [...QUERIES, "one"]));
  });

  it("keeps tokens not yet merged into the sorted dictionary visible to prefix queries as the original does", () => {
    // 5000 tokens starting with "pre", more than one prefix scan reads: only the pending (newest) tokens and
    // the first maxPrefixScan of the sorted range are completions, so which tokens are pending is visible.
    const { pendingTokens, maxPrefixScan } = TEXT_INDEX_BOUNDS;
    const a = new TextIndex();
    for (let i = 0; i < maxPrefixScan + 904; i++) a.set(i, { title: `pre${String(i).padStart(5, "0")}` });
    // "prezzz" sorts after every other "pre" token and is in most items, but is pending.
    for (let i = 0; i < 50; i++) a.set(10_000 + i, { title: "prezzz" });
    const b = restore(a, new TextIndex(), 4096);
    expect(stateHash(b)).toBe(stateHash(a));
    const hasPrezzz = (index: TextIndex) => results(index, "pre").some(([item]) => item === 10_000);
    expect(hasPrezzz(a)).toBe(true);
    expect(results(b, "pre")).toEqual(results(a, "pre"));
    // Adding tokens until the pending ones are merged: "prezzz" then falls outside the scan, in both.
    let n = 0;
    while (hasPrezzz(a)) {
      expect(n).toBeLessThan(pendingTokens);
      both(a, b, (index) => index.set(20_000 + n, { title: `other${n}` }));
      n++;
      expect(results(b, "pre")).toEqual(results(a, "pre"));
    }
    expect(n).toBeGreaterThan(0);
    expect(hasPrezzz(b)).toBe(false);
    expect(stateHash(b)).toBe(stateHash(a));
  });

  it("round-trips a large index: long lists with tombstones, many chunks, re-indexing afterwards", () => {
    const { slabMax } = TEXT_INDEX_BOUNDS;
    const a = new TextIndex();
    const text = (i: number, salt: number): TextFields => ({
      title: `w${(i * 7 + salt) % 3001} w${(i * 13 + salt) % 401} ${i % 3 === 0 ? "common" : "usual"}`,
      tags: i % 2 === 0 ? ["alpha"] : ["beta", `t${i % 50}`],
      categories: [`c${i % 9} > d${i % 97}`],
    });
    for (let i = 0; i < 40_000; i++) a.set(i * 3, text(i, 0));
    for (let i = 0; i < 40_000; i += 7) a.remove(i * 3); // tombstones in the long lists
    for (let i = 1; i < 40_000; i += 5) a.set(i * 3, text(i, 1)); // re-indexing
    const queries = ["common", "alpha beta", "w12 w3", "w1", "usual c3", "d9", "t7 w100"];
    const b = restore(a, new TextIndex(), 1 << 16);
    expect(stateHash(b)).toBe(stateHash(a));
    expect(observe(b, 120_010, queries)).toEqual(observe(a, 120_010, queries));
    for (let i = 0; i < 20_000; i++) {
      both(a, b, (index) => {
        if (i % 3 === 0) index.remove(i * 6);
        else
          index.set(i * 6 + 1, {
            title: `fresh${i % 700} common`,
            tags: i % 4 === 0 ? ["alpha"] : [],
          });
      });
    }
    // "common" and "alpha" are still long lists; shrink "beta" back into the slab.
    for (let i = 1; i < 40_000; i += 2) both(a, b, (index) => index.remove(i * 3));
    expect(results(a, "beta", 10 * slabMax).length).toBeLessThan(slabMax / 2);
    const more = [...queries, "fresh", "fresh1 alpha", "beta"];
    expect(stateHash(b)).toBe(stateHash(a));
    expect(observe(b, 120_010, more)).toEqual(observe(a, 120_010, more));
  });

  it("behaves like the original after a restore at any point (property)", () => {
    type Op = { op: "set"; item: number; fields: TextFields } | { op: "remove"; item: number };
    const word = fc.constantFrom(
      "red",
      "blue",
      "shoe",
      "shoes",
      "shirt",
      "short",
      "hat",
      "café",
      "run",
      "runner",
    );
    const words = fc.array(word, { maxLength: 4 }).map((ws) => ws.join(" "));
    const fields: fc.Arbitrary<TextFields> = fc.record(
      {
        title: fc.oneof(
          words,
          fc.integer({ min: 0, max: 30 }).map((k) => `x${k} red`),
        ),
        brand: word,
        tags: fc.array(words, { maxLength: 2 }),
        categories: fc.array(
          words.map((w) => `top > ${w}`),
          { maxLength: 2 },
        ),
      },
      { requiredKeys: [] },
    );
    const item = fc.integer({ min: 0, max: 40 });
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ op: fc.constant("set" as const), item, fields }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant("remove" as const), item }) },
    );
    const apply = (index: TextIndex, o: Op): void => {
      if (o.op === "set") index.set(o.item, o.fields);
      else index.remove(o.item);
    };
    const queries = ["red", "sho", "shoe blue", "x1", "x2 hat", "run", "cafe top", "zzz"];
    assertRestoreAtAnyPoint({
      make: () => new TextIndex(),
      op: opArb,
      apply,
      maxOps: 120,
      maxJunk: 20,
      atEnd: (a, b) => {
        expect(stateHash(b)).toBe(stateHash(a));
        expect(observe(b, 42, queries)).toEqual(observe(a, 42, queries));
      },
    });
  });
});

describe("TextIndex snapshots: invalid input", () => {
  /** The target's observable state, to check that a failed restore left it unchanged. */
  function snapshotOf(index: TextIndex): unknown {
    return [stateHash(index), observe(index, 320, QUERIES)];
  }

  it("rejects truncated input and leaves the index unchanged", () => {
    const bytes = snapshotBytes(sample());
    const b = new TextIndex();
    b.set(2, { title: "red shoe" });
    const before = snapshotOf(b);
    for (let length = 0; length < bytes.length; length += length < 400 ? 1 : 97) {
      expect(() => b.readState(readerOf([bytes.subarray(0, length)]))).toThrow(SnapshotFormatError);
      expect(snapshotOf(b)).toEqual(before);
    }
  });

  it("rejects a snapshot of another component", () => {
    const store = new RingStore(8);
    store.push(1, 2, 3, 4);
    const b = sample();
    const before = snapshotOf(b);
    const reader = readerOf(chunksOf((out) => store.writeState(out)));
    expect(() => b.readState(reader)).toThrow(/expected section "search.text-index"/);
    expect(snapshotOf(b)).toEqual(before);
  });

  it("rejects inconsistent data and leaves the index unchanged", () => {
    const a = new TextIndex();
    a.set(0, { title: "red shoe" });
    a.set(1, { title: "blue shoe" });
    a.set(3, { title: "red" });
    // Tokens: 0 red, 1 shoe, 2 blue. Postings: red [0, 3], shoe [0, 1], blue [1].
    const b = sample();
    const before = snapshotOf(b);
    const corrupt = (edit: (writes: Write[]) => void, target = b): (() => void) =>
      corruptRestore(a, edit, () => target);
    const expectRejected = (edit: (writes: Write[]) => void, message: RegExp): void => {
      expect(corrupt(edit)).toThrow(SnapshotFormatError);
      expect(corrupt(edit)).toThrow(message);
      expect(snapshotOf(b)).toEqual(before);
    };
    const posting = (item: number, code: number) => item * 4 + code;
    // Unedited, the writes restore (into another index).
    expect(corrupt(() => {}, new TextIndex())).not.toThrow();
    // Words: [2, red 0, red 3, 2, shoe 0, shoe 1, 1, blue 1].
    expectRejected(setArrayEntry(PRESENT, 2, 2), /item 2 has present flag 2/);
    expectRejected((w) => {
      w[COUNT] = { kind: "u32", value: 4 };
    }, /4 items indexed, but 3 present flags set/);
    expectRejected((w) => {
      w[COUNT] = { kind: "u32", value: 2 };
      (w[PRESENT]!.value as Uint8Array)[3] = 0;
    }, /end with an item not indexed \(3\)/);
    expectRejected(setArrayEntry(OFFSETS, 3, 8), /token offsets run from 0 to 8, not over the 11 characters/);
    expectRejected(setArrayEntry(OFFSETS, 1, 0), /token 0 has 0 code units/);
    // "red" "shoe" "blue" → "red" "shoe" "shoe".
    expectRejected((w) => {
      (w[CHARS]!.value as Uint16Array).set(
        [..."shoe"].map((c) => c.charCodeAt(0)),
        7,
      );
    }, /token 2 repeats an earlier token/);
    expectRejected(setArrayEntry(POSTINGS, 2, posting(2, 3)), /token 0 has posting 11 \(item 2, code 3\)/);
    expectRejected(setArrayEntry(POSTINGS, 2, posting(0, 3)), /items must increase/);
    expectRejected(setArrayEntry(POSTINGS, 5, posting(1, 0)), /code 0/);
    expectRejected(setArrayEntry(POSTINGS, 5, posting(9, 3)), /item 9/);
    expectRejected(setArrayEntry(POSTINGS, 0, 9), /token 0 has 9 postings, more than the 4 items/);
    expectRejected((w) => {
      const words = w[POSTINGS]!.value as Uint32Array;
      w.splice(
        POSTINGS,
        1,
        { kind: "array", value: words.slice(0, 3) },
        { kind: "array", value: words.slice(3) },
      );
    }, /posting chunk of 3 words followed by another/);
    expectRejected((w) => {
      const words = w[POSTINGS]!.value as Uint32Array;
      w[POSTINGS] = { kind: "array", value: Uint32Array.from([...words, 0]) };
    }, /1 words after the last posting list/);
    expectRejected((w) => {
      w[POSTINGS] = { kind: "array", value: new Uint32Array(0) };
    }, /posting chunk of 0 words/);
  });

  it("rejects an item in more than maxTokensPerItem lists", () => {
    const max = TEXT_INDEX_BOUNDS.maxTokensPerItem;
    const a = new TextIndex();
    a.set(0, { title: Array.from({ length: max }, (_, i) => `t${i}`).join(" ") });
    a.set(1, { title: "extra" });
    const writes = recordWrites(a);
    // The last token ("extra", id `max`) ends the stream: [1, item 1 × 4 + 3]; move its posting to item 0.
    const words = writes[POSTINGS]!.value as Uint32Array;
    expect(Array.from(words.subarray(words.length - 2))).toEqual([1, 1 * 4 + 3]);
    words[words.length - 1] = 0 * 4 + 3;
    const b = new TextIndex();
    expect(() => b.readState(replay(writes))).toThrow(/item 0 has more than 1024 tokens/);
    expect(b.size).toBe(0);
    words[words.length - 1] = 1 * 4 + 3;
    b.readState(replay(writes));
    expect(stateHash(b)).toBe(stateHash(a));
  });
});
