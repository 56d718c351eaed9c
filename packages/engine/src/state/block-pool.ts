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
import { SnapshotFormatError, type StateArray, type StateReader } from "./state-reader.js";
import type { StateWriter } from "./state-writer.js";

/** The handle that never names a block; zero so that fresh typed arrays of handles read as "no block". */
export const NO_BLOCK = 0;

/** Keeps handles below 2^32 so they fit a Uint32Array. */
const MAX_BLOCKS_PER_CLASS = 2 ** 27 - 1;
const EMPTY_U32 = new Uint32Array(0);
const EMPTY_F32 = new Float32Array(0);

/** Marks used by {@link BlockPool.checkHandles}. */
const FREE_BLOCK = 1;
const LIVE_BLOCK = 2;

/** log2 of the smallest power of two ≥ `n` (0 for n ≤ 1). */
export function ceilLog2(n: number): number {
  return n <= 1 ? 0 : 32 - Math.clz32(n - 1);
}

/** The length an arena of `log2` blocks first gets, doubled until it holds `minWords` (see `growArena`). */
function arenaLength(log2: number, minWords: number): number {
  // Start with a few blocks (at least 4 KiB) so small pools stay small, then double.
  let length = Math.max(1024, 8 << log2);
  while (length < minWords) length *= 2;
  return length;
}

/**
 * `values` at `length` elements (zero-padded): `values` itself when it already has that length and owns its
 * buffer, else a copy. For readState: a reader returns the used part of an array, the owner keeps some slack.
 */
export function withLength<T extends StateArray>(values: T, length: number): T {
  if (values.length === length && values.byteOffset === 0 && values.buffer.byteLength === values.byteLength) {
    return values;
  }
  const out = new (values.constructor as new (length: number) => T)(length);
  out.set(values.length > length ? values.subarray(0, length) : values);
  return out;
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

  /**
   * Replaces this pool's whole state with what {@link writeState} wrote for a pool of the same size classes. Each
   * arena gets the length the writer's had (a function of its carved blocks), so later allocations reuse blocks
   * and grow arenas exactly as the writer would have. Throws SnapshotFormatError, leaving this pool unchanged, when
   * the size classes differ or the data is inconsistent (a free list that leaves the carved blocks, loops or
   * miscounts; an arena whose length does not match its block count).
   */
  readState(input: StateReader): void {
    input.section("block-pool");
    const minLog2 = input.u32();
    const maxLog2 = input.u32();
    if (minLog2 !== this.minLog2 || maxLog2 !== this.maxLog2) {
      throw new SnapshotFormatError(
        `BlockPool: the snapshot has blocks of 2^${minLog2}..2^${maxLog2} words, this pool 2^${this.minLog2}..2^${this.maxLog2}`,
      );
    }
    const used: number[] = [];
    const freeHead: number[] = [];
    const freeCount: number[] = [];
    const carved: Uint32Array[] = [];
    for (let log2 = minLog2; log2 <= maxLog2; log2++) {
      const size = 1 << log2;
      const blocks = input.u32();
      const head = input.u32();
      const free = input.u32();
      if (blocks > MAX_BLOCKS_PER_CLASS) {
        throw new SnapshotFormatError(`BlockPool: ${blocks} blocks of ${size} words exceeds the limit`);
      }
      const words = input.array(Uint32Array);
      if (words.length !== blocks * size) {
        throw new SnapshotFormatError(
          `BlockPool: ${blocks} blocks of ${size} words need ${blocks * size} words, the snapshot has ${words.length}`,
        );
      }
      if (free > blocks) {
        throw new SnapshotFormatError(
          `BlockPool: ${free} free blocks of ${size} words, but only ${blocks} carved`,
        );
      }
      // Walk the free list: exactly `free` links, each to a carved block, then the end (so no loop either).
      let node = head;
      for (let n = 0; n < free; n++) {
        if (node === 0 || node > blocks) {
          throw new SnapshotFormatError(
            `BlockPool: free list of ${size}-word blocks ${node === 0 ? "ends early" : `links to block ${node - 1} of ${blocks}`}`,
          );
        }
        node = words[(node - 1) * size]!;
      }
      if (node !== 0) {
        throw new SnapshotFormatError(
          `BlockPool: free list of ${size}-word blocks is longer than its count ${free}`,
        );
      }
      used.push(blocks);
      freeHead.push(head);
      freeCount.push(free);
      carved.push(words);
    }
    for (let log2 = minLog2; log2 <= maxLog2; log2++) {
      const k = log2 - minLog2;
      const blocks = used[k]!;
      const words =
        blocks === 0 ? EMPTY_U32 : withLength(carved[k]!, arenaLength(log2, blocks * (1 << log2)));
      this.words[log2] = words;
      this.floats[log2] =
        blocks === 0 ? EMPTY_F32 : new Float32Array(words.buffer, words.byteOffset, words.length);
      this.used[log2] = blocks;
      this.freeHead[log2] = freeHead[k]!;
      this.freeCount[log2] = freeCount[k]!;
    }
  }

  /**
   * For readers of pool users: throws SnapshotFormatError unless every handle in `handles` is {@link NO_BLOCK} or
   * names a carved block of this pool that is not on a free list and not named by another handle. `what` names an
   * entry in messages (e.g. "owner" gives "owner 12: ...").
   */
  checkHandles(handles: Uint32Array, what: string): void {
    const marks: Uint8Array[] = [];
    for (let log2 = 0; log2 <= this.maxLog2; log2++) {
      const blocks = log2 < this.minLog2 ? 0 : this.used[log2]!;
      const mark = new Uint8Array(blocks);
      const size = 1 << log2;
      const words = this.words[log2]!;
      let node = this.freeHead[log2]!;
      for (let n = this.freeCount[log2]!; n > 0 && node !== 0; n--) {
        mark[node - 1] = FREE_BLOCK;
        node = words[(node - 1) * size]!;
      }
      marks.push(mark);
    }
    for (let i = 0; i < handles.length; i++) {
      const handle = handles[i]!;
      if (handle === NO_BLOCK) continue;
      const log2 = (handle - 1) & 31;
      if (log2 < this.minLog2 || log2 > this.maxLog2) {
        throw new SnapshotFormatError(
          `${what} ${i}: block handle ${handle} names blocks of 2^${log2} words, outside 2^${this.minLog2}..2^${this.maxLog2}`,
        );
      }
      const index = (handle - 1 - log2) / 32;
      const mark = marks[log2]!;
      if (index >= mark.length) {
        throw new SnapshotFormatError(
          `${what} ${i}: block handle ${handle} points past the ${mark.length} carved blocks of ${1 << log2} words`,
        );
      }
      if (mark[index] !== 0) {
        throw new SnapshotFormatError(
          `${what} ${i}: block handle ${handle} names a ${mark[index] === FREE_BLOCK ? "free block" : "block already in use"}`,
        );
      }
      mark[index] = LIVE_BLOCK;
    }
  }

  private growArena(log2: number, minWords: number): void {
    const old = this.words[log2]!;
    // An arena's length is always arenaLength(log2, carved words): readState relies on it to regrow the same way.
    let length = old.length === 0 ? arenaLength(log2, minWords) : old.length * 2;
    while (length < minWords) length *= 2;
    const buffer = new ArrayBuffer(length * 4);
    const words = new Uint32Array(buffer);
    words.set(old);
    this.words[log2] = words;
    this.floats[log2] = new Float32Array(buffer);
  }
}
