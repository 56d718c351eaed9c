import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BlockPool, NO_BLOCK } from "./block-pool.js";
import {
  corruptRestore,
  readerOf,
  restore,
  snapshotBytes,
  stateHash,
  type Write,
} from "./snapshot-test-support.js";
import { SnapshotFormatError } from "./state-reader.js";

/** Index of the first write of size class `log2` (its `used`) in a pool's recorded writes. */
function classAt(pool: BlockPool, log2: number): number {
  return 3 + (log2 - pool.minLog2) * 4;
}

function fill(pool: BlockPool, handle: number, first: number): void {
  const words = pool.u32(handle);
  const base = pool.offset(handle);
  for (let i = 0; i < pool.capacity(handle); i++) words[base + i] = first + i;
}

function read(pool: BlockPool, handle: number): number[] {
  const base = pool.offset(handle);
  return Array.from(pool.u32(handle).subarray(base, base + pool.capacity(handle)));
}

/** A pool with live and freed blocks in several classes. */
function sample(): { pool: BlockPool; live: number[] } {
  const pool = new BlockPool(2, 6);
  const live: number[] = [];
  for (let k = 0; k < 40; k++) {
    const h = pool.alloc(1 + ((k * 7) % 64));
    fill(pool, h, k * 1000);
    live.push(h);
  }
  for (const k of [3, 17, 5, 30, 31, 2]) pool.free(live[k]!);
  live[8] = pool.grow(live[8]!, 64);
  return { pool, live: live.filter((_, k) => ![3, 17, 5, 30, 31, 2].includes(k)) };
}

describe("BlockPool snapshots", () => {
  it("round-trips an empty pool", () => {
    const a = new BlockPool(2, 5);
    const b = restore(a, new BlockPool(2, 5));
    expect(stateHash(b)).toBe(stateHash(a));
    expect(b.reservedWords).toBe(0);
    expect(b.alloc(4)).toBe(a.alloc(4));
    expect(b.reservedWords).toBe(a.reservedWords);
  });

  it.each([8, 13, 64, 4096])(
    "restores contents, free lists and arena sizes across %i-byte chunks",
    (chunkSize) => {
      const { pool: a, live } = sample();
      const b = restore(a, new BlockPool(2, 6), chunkSize);
      expect(stateHash(b)).toBe(stateHash(a));
      expect(b.reservedWords).toBe(a.reservedWords);
      for (const h of live) expect(read(b, h)).toEqual(read(a, h));
      // The same future: free blocks come back in the same order, new blocks and arena growth match.
      for (let k = 0; k < 300; k++) {
        const words = 1 + ((k * 13) % 64);
        const ha = a.alloc(words);
        expect(b.alloc(words)).toBe(ha);
        fill(a, ha, k);
        fill(b, ha, k);
        expect(b.reservedWords).toBe(a.reservedWords);
      }
      expect(stateHash(b)).toBe(stateHash(a));
    },
  );

  it("round-trips a large pool (10k blocks, a third freed)", () => {
    const a = new BlockPool(1, 8);
    const handles: number[] = [];
    for (let k = 0; k < 10_000; k++) {
      const h = a.alloc(1 + ((k * 31) % 256));
      fill(a, h, k);
      handles.push(h);
    }
    for (let k = 0; k < handles.length; k += 3) a.free(handles[k]!);
    const b = restore(a, new BlockPool(1, 8), 1000);
    expect(stateHash(b)).toBe(stateHash(a));
    expect(b.reservedWords).toBe(a.reservedWords);
    for (let k = 1; k < handles.length; k += 3) expect(read(b, handles[k]!)).toEqual(read(a, handles[k]!));
    for (let k = 0; k < 5000; k++) expect(b.alloc(1 + ((k * 17) % 256))).toBe(a.alloc(1 + ((k * 17) % 256)));
    expect(b.reservedWords).toBe(a.reservedWords);
    expect(stateHash(b)).toBe(stateHash(a));
  });

  it("replaces the receiving pool's whole state, including bigger arenas", () => {
    const a = new BlockPool(2, 4);
    a.alloc(4);
    const b = new BlockPool(2, 4);
    for (let k = 0; k < 5000; k++) b.alloc(16);
    b.free(b.alloc(8));
    restore(a, b);
    expect(stateHash(b)).toBe(stateHash(a));
    expect(b.reservedWords).toBe(a.reservedWords);
    expect(b.alloc(8)).toBe(a.alloc(8));
    expect(b.alloc(16)).toBe(a.alloc(16));
  });

  it("behaves like the original after a restore at any point (property)", () => {
    type Op = { op: "alloc"; words: number } | { op: "free" | "grow" | "set"; pick: number; value: number };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      {
        weight: 5,
        arbitrary: fc.record({ op: fc.constant("alloc" as const), words: fc.integer({ min: 1, max: 32 }) }),
      },
      ...(["free", "grow", "set"] as const).map((op) => ({
        weight: 2,
        arbitrary: fc.record({ op: fc.constant(op), pick: fc.nat(), value: fc.integer({ min: 1, max: 32 }) }),
      })),
    );
    /** Applies `op`, tracking live handles; returns what the call returned (a handle) or -1. */
    const apply = (pool: BlockPool, live: number[], o: Op): number => {
      if (o.op === "alloc") {
        const h = pool.alloc(o.words);
        live.push(h);
        return h;
      }
      if (live.length === 0) return -1;
      const k = o.pick % live.length;
      const h = live[k]!;
      if (o.op === "free") {
        pool.free(h);
        live.splice(k, 1);
        return -1;
      }
      if (o.op === "grow") {
        live[k] = pool.grow(h, o.value);
        return live[k]!;
      }
      pool.u32(h)[pool.offset(h) + (o.value % pool.capacity(h))] = o.value * 7919;
      return -1;
    };
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 120 }),
        fc.array(opArb, { maxLength: 40 }),
        fc.nat(),
        fc.constantFrom(8, 64, 4096),
        (ops, junk, cut, chunkSize) => {
          const split = cut % (ops.length + 1);
          const a = new BlockPool(1, 5);
          const liveA: number[] = [];
          for (const o of ops.slice(0, split)) apply(a, liveA, o);
          const b = new BlockPool(1, 5);
          for (const o of junk) apply(b, [], o);
          restore(a, b, chunkSize);
          const liveB = [...liveA];
          expect(stateHash(b)).toBe(stateHash(a));
          for (const o of ops.slice(split)) {
            expect(apply(b, liveB, o)).toBe(apply(a, liveA, o));
            expect(b.reservedWords).toBe(a.reservedWords);
          }
          expect(liveB).toEqual(liveA);
          for (const h of liveA) expect(read(b, h)).toEqual(read(a, h));
          expect(stateHash(b)).toBe(stateHash(a));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("rejects a snapshot of other size classes", () => {
    const a = new BlockPool(2, 4);
    a.alloc(4);
    expect(() => restore(a, new BlockPool(2, 5))).toThrow(SnapshotFormatError);
    expect(() => restore(a, new BlockPool(1, 4))).toThrow(/2\^2\.\.2\^4 words, this pool 2\^1\.\.2\^4/);
  });

  it("rejects truncated input at every length and leaves the pool unchanged", () => {
    const { pool: a } = sample();
    const bytes = snapshotBytes(a);
    const b = new BlockPool(2, 6);
    b.alloc(8);
    const before = stateHash(b);
    for (let length = 0; length < bytes.length; length += length < 200 ? 1 : 97) {
      const chunks = [bytes.subarray(0, Math.min(length, 10)), bytes.subarray(Math.min(length, 10), length)];
      expect(() => b.readState(readerOf(chunks))).toThrow(SnapshotFormatError);
      expect(stateHash(b)).toBe(before);
    }
  });

  it("rejects free lists that leave the carved blocks, loop or miscount", () => {
    const pool = new BlockPool(2, 3);
    const blocks = [pool.alloc(4), pool.alloc(4), pool.alloc(4)];
    pool.free(blocks[0]!);
    pool.free(blocks[2]!); // free list: 2 → 0
    const at = classAt(pool, 2);
    const corrupt = (edit: (writes: Write[]) => void): (() => void) =>
      corruptRestore(pool, edit, () => new BlockPool(2, 3));
    expect(corrupt(() => {})).not.toThrow();
    expect(corrupt((w) => ((w[at + 1] as { value: number }).value = 4))).toThrow(/links to block 3 of 3/);
    expect(corrupt((w) => ((w[at + 2] as { value: number }).value = 3))).toThrow(/ends early/);
    expect(corrupt((w) => ((w[at + 2] as { value: number }).value = 1))).toThrow(/longer than its count/);
    expect(corrupt((w) => ((w[at + 2] as { value: number }).value = 4))).toThrow(
      /4 free blocks of 4 words, but only 3/,
    );
    // Block 0's link points back at block 2: a loop.
    expect(corrupt((w) => ((w[at + 3] as { value: Uint32Array }).value[0] = 3))).toThrow(
      /longer than its count/,
    );
    // Arena length and block count disagree.
    expect(corrupt((w) => ((w[at] as { value: number }).value = 4))).toThrow(
      /need 16 words, the snapshot has 12/,
    );
    expect(corrupt((w) => ((w[at] as { value: number }).value = 2 ** 27))).toThrow(/exceeds the limit/);
    expect(corrupt((w) => ((w[0] as { value: string }).value = "ring-store"))).toThrow(/expected section/);
  });

  it("checkHandles accepts live blocks and rejects handles outside the pool, free or shared", () => {
    const pool = new BlockPool(2, 3);
    const a = pool.alloc(4);
    const b = pool.alloc(8);
    const c = pool.alloc(4);
    pool.free(c);
    const check =
      (...handles: number[]) =>
      () =>
        pool.checkHandles(Uint32Array.from(handles), "owner");
    expect(check(a, NO_BLOCK, b, NO_BLOCK)).not.toThrow();
    expect(check(NO_BLOCK, a, c)).toThrow(/owner 2: block handle \d+ names a free block/);
    expect(check(a, b, a)).toThrow(/owner 2: .* block already in use/);
    expect(check(b + 32)).toThrow(/points past the 1 carved blocks of 8 words/);
    expect(check(a - 1)).toThrow(/outside 2\^2\.\.2\^3/);
    expect(check(a + 2)).toThrow(/outside 2\^2\.\.2\^3/);
    expect(() => pool.checkHandles(Uint32Array.from([a]), "x")).not.toThrow();
  });
});
