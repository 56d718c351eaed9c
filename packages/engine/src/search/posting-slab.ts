/**
 * The arena of the short posting lists (up to `slabMax` postings, 4 bytes each: item × 4 + weight code).
 *
 * Why this layout: most tokens are rare, so most lists are tiny, and an object or typed array per list would
 * cost more than its postings. Lists live instead in blocks of a few size classes (1, 2, 3, then 4 a power of
 * two: 4, 5, 6, 7, 8, 10, 12, … 3584, 4096; ≤ 1.25× apart) carved from fixed pages of 2^17 words (512 KB). No
 * block straddles two pages, so the arena grows by adding a page and never copies. A block is named by a global
 * word offset: page `offset >>> SLAB_PAGE_BITS`, index `offset & SLAB_PAGE_MASK`. Freed blocks are reused LIFO
 * per class; the owner compacts the arena once they add up to an eighth of it.
 */
import { TEXT_INDEX_BOUNDS } from "./text-bounds.js";
import { fitInPage } from "./typed-growth.js";

const SLAB_MAX = TEXT_INDEX_BOUNDS.slabMax;
export const SLAB_PAGE_BITS = 17;
export const SLAB_PAGE_SIZE = 1 << SLAB_PAGE_BITS;
export const SLAB_PAGE_MASK = SLAB_PAGE_SIZE - 1;

/** Block sizes: 1, 2, 3, then 4 a power of two (4, 5, 6, 7, 8, 10, 12, 14, 16, 20, …) up to SLAB_MAX. */
export const POSTING_CLASSES = (() => {
  const out = [1, 2, 3];
  for (let p = 4; p < SLAB_MAX; p *= 2) for (let k = 4; k < 8; k++) out.push((p * k) / 4);
  out.push(SLAB_MAX);
  return Uint32Array.from(out);
})();

/** Index of the smallest posting class holding `n` (n ≤ SLAB_MAX). */
export function classFor(n: number): number {
  let lo = 0;
  let hi = POSTING_CLASSES.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (POSTING_CLASSES[mid]! < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [0, len) whose posting's item is ≥ `item` (32-bit postings at buf[base + i], sorted). */
export function lowerBound(buf: Uint32Array, base: number, len: number, item: number): number {
  let lo = 0;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (buf[base + mid]! >>> 2 < item) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Slab {
  readonly pages: Uint32Array[] = [];
  /** High-water mark (global offset). */
  top = 0;
  /** Words in freed, not yet reused blocks. */
  freeWords = 0;
  private readonly free: number[][] = Array.from(POSTING_CLASSES, () => []);

  alloc(cls: number): number {
    const free = this.free[cls]!;
    const size = POSTING_CLASSES[cls]!;
    if (free.length > 0) {
      this.freeWords -= size;
      return free.pop()!;
    }
    const offset = fitInPage(this.top, size, SLAB_PAGE_SIZE);
    this.top = offset + size;
    while (this.pages.length * SLAB_PAGE_SIZE < this.top) this.pages.push(new Uint32Array(SLAB_PAGE_SIZE));
    return offset;
  }

  release(offset: number, cls: number): void {
    this.free[cls]!.push(offset);
    this.freeWords += POSTING_CLASSES[cls]!;
  }

  /** Copies `len` words between blocks (which may be in different pages, or overlap in one). */
  move(to: number, from: number, len: number): void {
    const source = this.pages[from >>> SLAB_PAGE_BITS]!;
    const target = this.pages[to >>> SLAB_PAGE_BITS]!;
    const f = from & SLAB_PAGE_MASK;
    if (source === target) source.copyWithin(to & SLAB_PAGE_MASK, f, f + len);
    else target.set(source.subarray(f, f + len), to & SLAB_PAGE_MASK);
  }

  /** Copies `count` words of `source` from `from` into the block at `offset`. */
  put(offset: number, source: Uint32Array, from: number, count: number): void {
    this.pages[offset >>> SLAB_PAGE_BITS]!.set(source.subarray(from, from + count), offset & SLAB_PAGE_MASK);
  }

  /** After the blocks were packed below `top`: forgets every free block and drops the pages past `top`. */
  reset(top: number): void {
    for (const list of this.free) list.length = 0;
    this.freeWords = 0;
    this.top = top;
    this.pages.length = Math.ceil(top / SLAB_PAGE_SIZE);
  }
}
