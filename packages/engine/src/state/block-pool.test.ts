import { describe, expect, it } from "vitest";
import { BlockPool, NO_BLOCK } from "./block-pool.js";
import { HashingStateWriter } from "./state-writer.js";

function fill(pool: BlockPool, handle: number, first: number): void {
  const words = pool.u32(handle);
  const base = pool.offset(handle);
  for (let i = 0; i < pool.capacity(handle); i++) words[base + i] = first + i;
}

function read(pool: BlockPool, handle: number): number[] {
  const base = pool.offset(handle);
  return Array.from(pool.u32(handle).subarray(base, base + pool.capacity(handle)));
}

function hash(pool: BlockPool): string {
  const out = new HashingStateWriter();
  pool.writeState(out);
  return out.digest();
}

describe("BlockPool", () => {
  it("rounds sizes up to a power of two within [2^minLog2, 2^maxLog2]", () => {
    const pool = new BlockPool(2, 6);
    expect(pool.capacity(pool.alloc(1))).toBe(4);
    expect(pool.capacity(pool.alloc(4))).toBe(4);
    expect(pool.capacity(pool.alloc(5))).toBe(8);
    expect(pool.capacity(pool.alloc(64))).toBe(64);
    expect(() => pool.alloc(65)).toThrow(RangeError);
  });

  it("never hands out NO_BLOCK and keeps live blocks disjoint", () => {
    const pool = new BlockPool(2, 4);
    const handles = [pool.alloc(4), pool.alloc(4), pool.alloc(16), pool.alloc(4)];
    expect(handles).not.toContain(NO_BLOCK);
    expect(new Set(handles).size).toBe(4);
    for (const [k, h] of handles.entries()) fill(pool, h, k * 100);
    expect(read(pool, handles[0]!)).toEqual([0, 1, 2, 3]);
    expect(read(pool, handles[1]!)).toEqual([100, 101, 102, 103]);
    expect(read(pool, handles[3]!)).toEqual([300, 301, 302, 303]);
    expect(read(pool, handles[2]!)[15]).toBe(215);
  });

  it("reuses freed blocks of the same class, most recently freed first", () => {
    const pool = new BlockPool(2, 4);
    const a = pool.alloc(4);
    const b = pool.alloc(4);
    const c = pool.alloc(4);
    pool.free(a);
    pool.free(c);
    expect(pool.alloc(3)).toBe(c);
    expect(pool.alloc(4)).toBe(a);
    // Free list exhausted: a new block past the others.
    const d = pool.alloc(4);
    expect([a, b, c]).not.toContain(d);
    // Another class is not affected by this class's free list.
    pool.free(b);
    expect(pool.alloc(8)).not.toBe(b);
  });

  it("keeps contents when the arena doubles many times", () => {
    const pool = new BlockPool(3, 3);
    const handles: number[] = [];
    for (let k = 0; k < 2000; k++) {
      const h = pool.alloc(8);
      fill(pool, h, k * 8);
      handles.push(h);
    }
    expect(pool.reservedWords).toBeGreaterThanOrEqual(2000 * 8);
    for (const [k, h] of handles.entries()) {
      expect(read(pool, h)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => k * 8 + i));
    }
  });

  it("grow moves the contents into a bigger block and frees the old one", () => {
    const pool = new BlockPool(2, 5);
    const small = pool.alloc(4);
    fill(pool, small, 10);
    const big = pool.grow(small, 9);
    expect(pool.capacity(big)).toBe(16);
    expect(read(pool, big).slice(0, 4)).toEqual([10, 11, 12, 13]);
    expect(pool.alloc(4)).toBe(small);
    expect(pool.grow(big, 16)).toBe(big);
  });

  it("views the same words as float32", () => {
    const pool = new BlockPool(2, 2);
    const h = pool.alloc(4);
    pool.f32(h)[pool.offset(h) + 1] = 1.5;
    expect(pool.u32(h)[pool.offset(h) + 1]).toBe(0x3fc00000);
  });

  it("hashes equal call sequences equally and different contents differently", () => {
    const run = (v: number) => {
      const pool = new BlockPool(2, 4);
      const a = pool.alloc(4);
      const b = pool.alloc(16);
      fill(pool, a, v);
      pool.free(b);
      return pool;
    };
    expect(hash(run(1))).toBe(hash(run(1)));
    expect(hash(run(1))).not.toBe(hash(run(2)));
  });
});
