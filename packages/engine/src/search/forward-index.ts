/**
 * The forward index: each item's sorted token ids, so that removing or re-indexing an item knows which posting
 * lists to touch without scanning them.
 *
 * Why this layout: ids are delta + LEB128 encoded (~2 bytes a token; at most 4 as ids fit 24 bits) in an
 * append-only log of 64 KB pages, located per item by a start (Uint32) and a byte length (Uint16): no object
 * per item. A re-encoding that is not longer overwrites in place; a longer one is appended and the old bytes
 * become garbage; the log is rewritten (in item order) once its garbage exceeds a quarter of it. No entry
 * straddles two pages, so the log grows by adding a page and never copies. The entries are exactly what the
 * posting lists say (item i is in token t's list ⇔ t is in i's entry), so a snapshot does not store them:
 * {@link rebuild} derives them from the lists.
 */
import { SnapshotFormatError } from "../state/state-reader.js";
import type { PostingLists } from "./posting-lists.js";
import { TEXT_INDEX_BOUNDS } from "./text-bounds.js";
import { fitInPage, grownU16, grownU32 } from "./typed-growth.js";

const MAX_TOKENS_PER_ITEM = TEXT_INDEX_BOUNDS.maxTokensPerItem;
const LOG_PAGE_BITS = 16;
const LOG_PAGE_SIZE = 1 << LOG_PAGE_BITS;
const LOG_PAGE_MASK = LOG_PAGE_SIZE - 1;
/** The log is only compacted past this many bytes. */
const COMPACT_MIN = 1 << 16;
/**
 * Items per bucket of {@link ForwardIndex.rebuild}: few enough that a bucket's scratch and log bytes stay in
 * cache and that token (< 2^24) × BUCKET_SIZE + item offset fits a u32.
 */
const BUCKET_BITS = 8;
const BUCKET_SIZE = 1 << BUCKET_BITS;
const BUCKET_MASK = BUCKET_SIZE - 1;
/** LEB128 bytes of a value with `clz32(value)` leading zero bits (a table: the lengths are unpredictable). */
const LEB_BYTES = Uint8Array.from({ length: 33 }, (_, zeros) => Math.max(1, Math.ceil((32 - zeros) / 7)));

/** Per-bucket scratch of {@link ForwardIndex.rebuild}, indexed by item − the bucket's first item. */
interface BucketScratch {
  lengths: Uint32Array;
  counts: Uint16Array;
  previous: Uint32Array;
}

/**
 * Sizes the entries of `pairs[from, to)` (token × BUCKET_SIZE + item − `first`, token order) into
 * `scratch.lengths`, counting tokens per item.
 */
function sizeEntries(
  pairs: Uint32Array,
  from: number,
  to: number,
  first: number,
  scratch: BucketScratch,
): void {
  const { lengths, counts, previous } = scratch;
  lengths.fill(0);
  counts.fill(0);
  previous.fill(0);
  for (let p = from; p < to; p++) {
    const pair = pairs[p]!;
    const low = pair & BUCKET_MASK;
    const t = pair >>> BUCKET_BITS;
    const count = counts[low]!;
    if (count === MAX_TOKENS_PER_ITEM) {
      throw new SnapshotFormatError(
        `TextIndex: item ${first + low} has more than ${MAX_TOKENS_PER_ITEM} tokens`,
      );
    }
    counts[low] = count + 1;
    lengths[low] = lengths[low]! + LEB_BYTES[Math.clz32(t - previous[low]!)]!;
    previous[low] = t;
  }
}

/** Writes the entries of `pairs[from, to)`, each at its item's cursor in the log `pages`. */
function writeEntries(
  pairs: Uint32Array,
  from: number,
  to: number,
  pages: Uint8Array[],
  cursors: Uint32Array,
  previous: Uint32Array,
): void {
  previous.fill(0);
  for (let p = from; p < to; p++) {
    const pair = pairs[p]!;
    const low = pair & BUCKET_MASK;
    const t = pair >>> BUCKET_BITS;
    const cursor = cursors[low]!;
    const page = pages[cursor >>> LOG_PAGE_BITS]!;
    const start = cursor & LOG_PAGE_MASK;
    let at = start;
    let delta = t - previous[low]!;
    previous[low] = t;
    while (delta >= 0x80) {
      page[at++] = (delta & 0x7f) | 0x80;
      delta >>>= 7;
    }
    page[at++] = delta;
    cursors[low] = cursor + (at - start);
  }
}

export class ForwardIndex {
  private starts = new Uint32Array(0);
  private lengths = new Uint16Array(0);
  private pages: Uint8Array[] = [];
  private top = 0;
  private garbage = 0;
  /** Encoding scratch. */
  private readonly encoded = new Uint8Array(MAX_TOKENS_PER_ITEM * 5);

  /** Makes room for items below `capacity`. */
  ensureCapacity(capacity: number): void {
    this.starts = grownU32(this.starts, capacity);
    this.lengths = grownU16(this.lengths, capacity);
  }

  /** Decodes `item`'s sorted token ids into `ids`; returns how many. */
  read(item: number, ids: Uint32Array): number {
    const start = this.starts[item]!;
    const bytes = this.pages[start >>> LOG_PAGE_BITS];
    if (bytes === undefined) return 0;
    let pos = start & LOG_PAGE_MASK;
    const end = pos + this.lengths[item]!;
    let id = 0;
    let m = 0;
    while (pos < end) {
      let delta = 0;
      let shift = 0;
      let b: number;
      do {
        b = bytes[pos++]!;
        delta |= (b & 0x7f) << shift;
        shift += 7;
      } while (b & 0x80);
      id += delta;
      ids[m++] = id;
    }
    return m;
  }

  /** Stores `item`'s sorted token ids: `packed[i] >>> 2` for i in [0, n). */
  write(item: number, packed: Uint32Array, n: number): void {
    const bytes = this.encoded;
    let len = 0;
    let previous = 0;
    for (let i = 0; i < n; i++) {
      const id = packed[i]! >>> 2;
      let delta = id - previous;
      previous = id;
      while (delta >= 0x80) {
        bytes[len++] = (delta & 0x7f) | 0x80;
        delta >>>= 7;
      }
      bytes[len++] = delta;
    }
    const old = this.lengths[item]!;
    if (len <= old) {
      // Shorter or equal: overwrite in place; the tail becomes garbage.
      const start = this.starts[item]!;
      if (len > 0) this.pages[start >>> LOG_PAGE_BITS]!.set(bytes.subarray(0, len), start & LOG_PAGE_MASK);
      this.garbage += old - len;
    } else {
      this.garbage += old;
      this.starts[item] = this.append(bytes, len);
    }
    this.lengths[item] = len;
  }

  /** Forgets `item`'s entry. */
  clear(item: number): void {
    this.garbage += this.lengths[item]!;
    this.lengths[item] = 0;
  }

  /** Appends `len` bytes of `bytes` to the log; returns their offset. */
  private append(bytes: Uint8Array, len: number): number {
    const offset = this.reserve(len);
    this.pages[offset >>> LOG_PAGE_BITS]!.set(bytes.subarray(0, len), offset & LOG_PAGE_MASK);
    return offset;
  }

  /** Room for `len` bytes at the end of the log, in one page; returns its offset. */
  private reserve(len: number): number {
    const offset = fitInPage(this.top, len, LOG_PAGE_SIZE);
    this.garbage += offset - this.top;
    this.top = offset + len;
    while (this.pages.length * LOG_PAGE_SIZE < this.top) this.pages.push(new Uint8Array(LOG_PAGE_SIZE));
    return offset;
  }

  /** Rewrites the log without garbage once the garbage exceeds a quarter of it. */
  maybeCompact(): void {
    if (this.top >= COMPACT_MIN && this.garbage * 4 > this.top) this.compact();
  }

  /** Rewrites the log without garbage, in item order, page by page. */
  private compact(): void {
    const old = this.pages;
    this.pages = [];
    this.top = 0;
    this.garbage = 0;
    for (let item = 0; item < this.lengths.length; item++) {
      const len = this.lengths[item]!;
      if (len === 0) continue;
      const from = this.starts[item]!;
      const page = old[from >>> LOG_PAGE_BITS]!;
      const f = from & LOG_PAGE_MASK;
      this.starts[item] = this.append(page.subarray(f, f + len), len);
    }
  }

  /**
   * The forward index of `lists` (tokens [0, tokens), items below `items`), laid out as a compaction leaves it.
   * Turning token-major postings into item-major entries touches items at random, so it goes through buckets
   * of 2^8 items whose scratch stays in cache: the postings are first partitioned by bucket, as one u32 each
   * (token × 2^8 + the item's low bits, token order within a bucket), then each bucket's entries are sized,
   * placed and written. No object per posting. Throws SnapshotFormatError when an item is in more than
   * `maxTokensPerItem` lists.
   */
  static rebuild(lists: PostingLists, tokens: number, items: number): ForwardIndex {
    const index = new ForwardIndex();
    index.ensureCapacity(items);
    const buckets = Math.ceil(items / BUCKET_SIZE);
    // Partition the postings by bucket: count, then place.
    const bucketStarts = new Uint32Array(buckets + 1);
    for (let t = 0; t < tokens; t++) {
      const end = lists.df(t);
      if (end === 0) continue;
      const postings = lists.postings(t);
      for (let i = lists.from, to = i + end; i < to; i++) {
        bucketStarts[(postings[i]! >>> (BUCKET_BITS + 2)) + 1]!++;
      }
    }
    for (let b = 0; b < buckets; b++) bucketStarts[b + 1]! += bucketStarts[b]!;
    const pairs = new Uint32Array(bucketStarts[buckets]!);
    const fill = bucketStarts.slice(0, buckets);
    for (let t = 0; t < tokens; t++) {
      const end = lists.df(t);
      if (end === 0) continue;
      const postings = lists.postings(t);
      const high = t * BUCKET_SIZE;
      for (let i = lists.from, to = i + end; i < to; i++) {
        const item = postings[i]! >>> 2;
        pairs[fill[item >>> BUCKET_BITS]!++] = high + (item & BUCKET_MASK);
      }
    }
    // Per bucket: size each entry (and count its tokens), place the entries in item order, write them.
    const scratch: BucketScratch = {
      lengths: new Uint32Array(BUCKET_SIZE),
      counts: new Uint16Array(BUCKET_SIZE),
      previous: new Uint32Array(BUCKET_SIZE),
    };
    const cursors = scratch.lengths;
    for (let b = 0; b < buckets; b++) {
      const first = b * BUCKET_SIZE;
      sizeEntries(pairs, bucketStarts[b]!, bucketStarts[b + 1]!, first, scratch);
      const size = Math.min(BUCKET_SIZE, items - first);
      for (let low = 0; low < size; low++) {
        const len = cursors[low]!;
        index.lengths[first + low] = len;
        if (len > 0) index.starts[first + low] = index.reserve(len);
        cursors[low] = index.starts[first + low]!;
      }
      writeEntries(pairs, bucketStarts[b]!, bucketStarts[b + 1]!, index.pages, cursors, scratch.previous);
    }
    return index;
  }
}
