/**
 * A posting list longer than the slab takes (more than `slabMax` postings): a very common token.
 *
 * Why this layout: common tokens hold most postings, so they get 2 bytes a posting instead of 4: per posting
 * (item mod 2^14) × 4 + code in a Uint16Array, sorted by item, the list split by item / 2^14 into chunks
 * located by a dense directory of chunk ends (a Uint32 per 16384 items of the catalog): chunk c (items
 * c × 2^14 …) holds data[end(c − 1), end(c)); chunks past the directory are empty. Removals leave a tombstone
 * (code 0) instead of moving the tail, and the owner compacts the list once tombstones are more than
 * 64 + len/16 (amortised O(1) per removal; tombstones stay a small part of what queries read).
 */
import type { Candidates } from "./candidates.js";
import { TEXT_INDEX_BOUNDS, WEIGHTS } from "./text-bounds.js";

const MAX_ITEM = TEXT_INDEX_BOUNDS.maxItem;
/** Long lists: items per chunk (2^CHUNK_BITS), so that (item mod chunk) × 4 + code fits 16 bits. */
export const CHUNK_BITS = 14;
export const CHUNK_MASK = (1 << CHUNK_BITS) - 1;
/** A chunk's share of a 32-bit posting: chunk × 2^14 items × 4. */
export const CHUNK_POSTING = 1 << (CHUNK_BITS + 2);
/** A long list is compacted when its tombstones exceed this plus len/16. */
export const TOMBSTONE_BASE = 64;

export class LongList {
  data: Uint16Array<ArrayBuffer>;
  /** ends[c] = end of chunk c in `data`. */
  ends: Uint32Array<ArrayBuffer>;
  /** Postings used in `data`, tombstones included. */
  len = 0;

  /** From `count` 32-bit postings (item × 4 + code, sorted, live) at `source[from …]`. */
  constructor(source: Uint32Array, from: number, count: number) {
    this.data = new Uint16Array(count + (count >>> 2));
    const last = source[from + count - 1]!;
    this.ends = new Uint32Array((last >>> (CHUNK_BITS + 2)) + 1);
    for (let i = 0; i < count; i++) {
      const v = source[from + i]!;
      this.data[i] = v & 0xffff;
      this.ends[v >>> (CHUNK_BITS + 2)] = i + 1;
    }
    // Empty chunks end where the previous one does.
    for (let c = 1; c < this.ends.length; c++)
      if (this.ends[c]! < this.ends[c - 1]!) this.ends[c] = this.ends[c - 1]!;
    this.len = count;
  }

  start(c: number): number {
    return c === 0 ? 0 : c - 1 < this.ends.length ? this.ends[c - 1]! : this.len;
  }

  end(c: number): number {
    return c < this.ends.length ? this.ends[c]! : this.len;
  }

  /** First position in `item`'s chunk whose item is ≥ `item` (the chunk's end if none). */
  position(item: number): number {
    const c = item >>> CHUNK_BITS;
    const low = item & CHUNK_MASK;
    let lo = this.start(c);
    let hi = this.end(c);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid]! >>> 2 < low) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether position `p` (from {@link position}) holds `item`, live or tombstone. */
  holds(p: number, item: number): boolean {
    return p < this.end(item >>> CHUNK_BITS) && this.data[p]! >>> 2 === (item & CHUNK_MASK);
  }

  /** Inserts `item` (absent from the list) with `code` at position `p`. */
  insert(p: number, item: number, code: number): void {
    const c = item >>> CHUNK_BITS;
    if (c >= this.ends.length) {
      const ends = new Uint32Array(c + 1);
      ends.set(this.ends);
      ends.fill(this.len, this.ends.length);
      this.ends = ends;
    }
    if (this.len === this.data.length) {
      const data = new Uint16Array(this.len + (this.len >>> 2) + 1);
      data.set(this.data);
      this.data = data;
    }
    this.data.copyWithin(p + 1, p, this.len);
    this.data[p] = ((item & CHUNK_MASK) << 2) | code;
    this.len++;
    for (let k = c; k < this.ends.length; k++) this.ends[k] = this.ends[k]! + 1;
  }

  /** Copies the live postings, as 32-bit item × 4 + code in item order, into `target`; returns how many. */
  copyLive(target: Uint32Array): number {
    const data = this.data;
    let n = 0;
    let i = 0;
    for (let c = 0; c < this.ends.length; c++) {
      const end = this.ends[c]!;
      for (; i < end; i++) {
        const v = data[i]!;
        if ((v & 3) !== 0) target[n++] = c * CHUNK_POSTING + v;
      }
    }
    return n;
  }

  /**
   * Item of the `nth` (0-based) live posting (maxItem if there are not that many); `live` is the list's live
   * count. Why two ways: with no tombstones (len = live, the usual case) the nth posting is at position nth and
   * only its chunk is looked for; otherwise the live postings before it are counted.
   */
  liveItemAt(nth: number, live: number): number {
    if (live === this.len) {
      if (nth >= this.len) return MAX_ITEM;
      let c = 0;
      while (this.ends[c]! <= nth) c++;
      return c * (CHUNK_MASK + 1) + (this.data[nth]! >>> 2);
    }
    let seen = 0;
    let i = 0;
    for (let c = 0; c < this.ends.length; c++) {
      const end = this.ends[c]!;
      for (; i < end; i++) {
        const v = this.data[i]!;
        if ((v & 3) !== 0 && seen++ === nth) return c * (CHUNK_MASK + 1) + (v >>> 2);
      }
    }
    return MAX_ITEM;
  }

  /** Reads the live postings with item ≤ `upTo` into `candidates`, as term `g` of idf `termIdf`. */
  scan(termIdf: number, g: number, upTo: number, candidates: Candidates): void {
    const data = this.data;
    let i = 0;
    for (let c = 0; c < this.ends.length; c++) {
      const first = c * (CHUNK_MASK + 1);
      if (first > upTo) return;
      const end = this.ends[c]!;
      for (; i < end; i++) {
        const v = data[i]!;
        const code = v & 3;
        if (code === 0) continue;
        const item = first + (v >>> 2);
        if (item > upTo) return;
        candidates.accumulate(item, g, termIdf * WEIGHTS[code]!);
      }
    }
  }

  /** Weight code of `item`, 0 if absent (or a tombstone). */
  codeOf(item: number): number {
    const p = this.position(item);
    return this.holds(p, item) ? this.data[p]! & 3 : 0;
  }

  /** Drops the tombstones (and trailing empty chunks); shrinks `data` when much larger than needed. */
  compact(): void {
    const data = this.data;
    let w = 0;
    let r = 0;
    for (let c = 0; c < this.ends.length; c++) {
      const end = this.ends[c]!;
      for (; r < end; r++) {
        const v = data[r]!;
        if ((v & 3) !== 0) data[w++] = v;
      }
      this.ends[c] = w;
    }
    this.len = w;
    let chunks = this.ends.length;
    while (chunks > 1 && this.ends[chunks - 2] === w) chunks--;
    if (chunks < this.ends.length) this.ends = this.ends.slice(0, chunks);
    if (data.length > w + (w >>> 1)) this.data = data.slice(0, w + (w >>> 3) + 1);
  }
}
