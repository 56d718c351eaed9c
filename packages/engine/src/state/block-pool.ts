/**
 * Variable-size blocks of 32-bit words for per-owner state (histories, neighbour lists).
 *
 * Why: a JS object or a small typed array per owner costs ~100 bytes of header before holding any data, so a
 * million owners would cost more in overhead than in payload. Instead every block lives in one big arena per
 * size class (powers of two), so a block is just a number (its handle) and the whole pool is a handful of
 * allocations that the GC never has to trace. Power-of-two classes let a block grow by moving one class up,
 * and keep the offset computation a multiply.
 *
 * Freed blocks go on an intrusive LIFO free list (the next-free link lives in the freed block's first word), so
 * reuse costs no memory and the order of reuse depends only on the order of calls: same calls ⇒ same bytes.
 *
 * A handle is `blockIndex * 32 + log2(blockWords) + 1`, so 0 ({@link NO_BLOCK}) is never a valid handle and
 * zero-filled metadata arrays mean "no block" without initialisation.
 *
 * The arrays returned by {@link BlockPool.u32} / {@link BlockPool.f32} are replaced when an arena grows: re-fetch
 * them after any `alloc`/`grow`.
 */
import type { StateWriter } from "./state-writer.js";

/** The handle that never names a block; zero so that fresh typed arrays of handles read as "no block". */
export const NO_BLOCK = 0;

/** Keeps handles below 2^32 so they fit a Uint32Array. */
const MAX_BLOCKS_PER_CLASS = 2 ** 27 - 1;
const EMPTY_U32 = new Uint32Array(0);
const EMPTY_F32 = new Float32Array(0);

/** log2 of the smallest power of two ≥ `n` (0 for n ≤ 1). */
export function ceilLog2(n: number): number {
  return n <= 1 ? 0 : 32 - Math.clz32(n - 1);
}

export class BlockPool {
  /** Indexed by log2(block words); classes outside [minLog2, maxLog2] keep empty arrays so access stays monomorphic. */
  private readonly words: Uint32Array[] = [];
  private readonly floats: Float32Array[] = [];
  /** Blocks carved so far per class (the high-water mark; everything past it is unused). */
  private readonly used: number[] = [];
  /** Free-list head per class, as blockIndex + 1 (0 = empty). */
  private readonly freeHead: number[] = [];
  private readonly freeCount: number[] = [];

  constructor(
    readonly minLog2 = 2,
    readonly maxLog2 = 10,
  ) {
    if (
      !Number.isInteger(minLog2) ||
      !Number.isInteger(maxLog2) ||
      minLog2 < 0 ||
      maxLog2 < minLog2 ||
      maxLog2 > 30
    ) {
      throw new RangeError(
        `BlockPool: need integers 0 <= minLog2 <= maxLog2 <= 30, got ${minLog2}, ${maxLog2}`,
      );
    }
    for (let c = 0; c <= maxLog2; c++) {
      this.words.push(EMPTY_U32);
      this.floats.push(EMPTY_F32);
      this.used.push(0);
      this.freeHead.push(0);
      this.freeCount.push(0);
    }
  }

  /** Largest block size in words. */
  get maxWords(): number {
    return 1 << this.maxLog2;
  }

  /** A block of at least `words` words (contents unspecified: possibly a freed block's). */
  alloc(words: number): number {
    let log2 = ceilLog2(words);
    if (log2 < this.minLog2) log2 = this.minLog2;
    if (log2 > this.maxLog2) {
      throw new RangeError(`BlockPool: ${words} words exceeds the largest block (${1 << this.maxLog2})`);
    }
    const head = this.freeHead[log2]!;
    if (head !== 0) {
      const index = head - 1;
      const offset = index * (1 << log2);
      this.freeHead[log2] = this.words[log2]![offset]!;
      this.freeCount[log2]!--;
      return index * 32 + log2 + 1;
    }
    const index = this.used[log2]!;
    if (index >= MAX_BLOCKS_PER_CLASS)
      throw new RangeError(`BlockPool: too many blocks of ${1 << log2} words`);
    const size = 1 << log2;
    if ((index + 1) * size > this.words[log2]!.length) this.growArena(log2, (index + 1) * size);
    this.used[log2] = index + 1;
    return index * 32 + log2 + 1;
  }

  /** Returns the block to its class's free list. Freeing {@link NO_BLOCK} is a no-op; double frees are not detected. */
  free(handle: number): void {
    if (handle === NO_BLOCK) return;
    const h = handle - 1;
    const log2 = h & 31;
    const index = (h - log2) / 32;
    this.words[log2]![index * (1 << log2)] = this.freeHead[log2]!;
    this.freeHead[log2] = index + 1;
    this.freeCount[log2]!++;
  }

  /**
   * A block of at least `words` words holding the old block's contents at its start (as many words as fit); the
   * old block is freed. Returns the same handle when it is already big enough.
   */
  grow(handle: number, words: number): number {
    if (handle === NO_BLOCK) return this.alloc(words);
    const oldCapacity = this.capacity(handle);
    if (words <= oldCapacity) return handle;
    const next = this.alloc(words);
    // Read the arrays after alloc: it may have replaced the arena of the new block's class.
    const src = this.u32(handle);
    const dst = this.u32(next);
    const from = this.offset(handle);
    const to = this.offset(next);
    for (let i = 0; i < oldCapacity; i++) dst[to + i] = src[from + i]!;
    this.free(handle);
    return next;
  }

  /** Block size in words. */
  capacity(handle: number): number {
    return 1 << ((handle - 1) & 31);
  }

  /** Index of the block's first word in {@link u32} / {@link f32}. */
  offset(handle: number): number {
    const h = handle - 1;
    const log2 = h & 31;
    return ((h - log2) / 32) * (1 << log2);
  }

  /** The arena holding the block, as words; valid until the next alloc/grow. */
  u32(handle: number): Uint32Array {
    return this.words[(handle - 1) & 31]!;
  }

  /** The same arena as {@link u32}, viewed as float32 (same buffer, same offsets). */
  f32(handle: number): Float32Array {
    return this.floats[(handle - 1) & 31]!;
  }

  /** Words reserved by all arenas (for memory accounting). */
  get reservedWords(): number {
    let sum = 0;
    for (const w of this.words) sum += w.length;
    return sum;
  }

  /** Per class: the carved part of its arena and its free list; arena slack past the high-water mark is skipped. */
  writeState(out: StateWriter): void {
    out.section("block-pool");
    out.u32(this.minLog2);
    out.u32(this.maxLog2);
    for (let log2 = this.minLog2; log2 <= this.maxLog2; log2++) {
      const used = this.used[log2]!;
      out.u32(used);
      out.u32(this.freeHead[log2]!);
      out.u32(this.freeCount[log2]!);
      out.array(this.words[log2]!.subarray(0, used * (1 << log2)));
    }
  }

  private growArena(log2: number, minWords: number): void {
    const old = this.words[log2]!;
    // Start with a few blocks (at least 4 KiB) so small pools stay small, then double.
    let length = old.length === 0 ? Math.max(1024, 8 << log2) : old.length * 2;
    while (length < minWords) length *= 2;
    const buffer = new ArrayBuffer(length * 4);
    const words = new Uint32Array(buffer);
    words.set(old);
    this.words[log2] = words;
    this.floats[log2] = new Float32Array(buffer);
  }
}
