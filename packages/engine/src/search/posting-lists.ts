/**
 * The posting lists: per token id, the items whose text holds it, sorted by item (membership is a binary
 * search), each posting carrying the best weight code of the fields the token appears in (1 category,
 * 2 brand/tag, 3 title).
 *
 * Why this layout: no object per token, per short list or per posting. Per token there are three dense arrays
 * (block offset, live count = df, storage class); a list of up to `slabMax` postings is a block of the shared
 * {@link Slab} (4 bytes a posting, no tombstones: updates move words), a longer one a {@link LongList}
 * (2 bytes a posting, tombstones). A list moves to a LongList when it outgrows the slab and back once
 * compaction leaves it at half the slab's maximum, so a list between the two may be either: which one is
 * invisible to readers, who see only the live postings in item order ({@link postings}, {@link scan},
 * {@link codeOf}, {@link liveItemAt}).
 */
import type { Candidates } from "./candidates.js";
import { CHUNK_MASK, LongList, TOMBSTONE_BASE } from "./long-list.js";
import {
  classFor,
  lowerBound,
  POSTING_CLASSES,
  SLAB_PAGE_BITS,
  SLAB_PAGE_MASK,
  SLAB_PAGE_SIZE,
  Slab,
} from "./posting-slab.js";
import { TEXT_INDEX_BOUNDS, WEIGHTS } from "./text-bounds.js";
import { fitInPage, grownU8, grownU32 } from "./typed-growth.js";

const MAX_ITEM = TEXT_INDEX_BOUNDS.maxItem;
const SLAB_MAX = TEXT_INDEX_BOUNDS.slabMax;
/** The slab is only compacted past this many words. */
const COMPACT_MIN = 1 << 16;
/** `classes[t]` of a long list; slab lists store their class index + 1; 0 = no list. */
const LONG = 255;

export class PostingLists {
  /** Slab block offset of slab lists. */
  private starts = new Uint32Array(0);
  /** Live postings (= df; also the length of a slab list, as those hold no tombstones). */
  private live = new Uint32Array(0);
  private classes = new Uint8Array(0);
  /** Token ids with a (possibly empty) entry in the arrays above. */
  private tokens = 0;
  private readonly slab = new Slab();
  private readonly longLists = new Map<number, LongList>();
  /** Long lists copied by {@link postings}. */
  private scratch = new Uint32Array(0);
  /** Where the postings returned by {@link postings} start. */
  from = 0;

  /** Live postings per token id: read-only for callers, valid until the next token is added. */
  get liveCounts(): Uint32Array {
    return this.live;
  }

  /** Number of items holding token `t`. */
  df(t: number): number {
    return this.live[t]!;
  }

  /** Makes room for token ids below `count` (new ones have empty lists). */
  addTokens(count: number): void {
    if (count > this.classes.length) {
      this.starts = grownU32(this.starts, count);
      this.live = grownU32(this.live, count);
      this.classes = grownU8(this.classes, count);
    }
    this.tokens = Math.max(this.tokens, count);
  }

  /** Gives token `t` (whose list is empty) the `count` live postings (item × 4 + code, sorted) of `source`. */
  adopt(t: number, source: Uint32Array, from: number, count: number): void {
    if (count === 0) return;
    this.live[t] = count;
    if (count <= SLAB_MAX) this.toSlab(t, source, from, count);
    else {
      this.longLists.set(t, new LongList(source, from, count));
      this.classes[t] = LONG;
    }
  }

  /**
   * Token `t`'s live postings, as item × 4 + code in item order: `df(t)` words of the returned array from
   * {@link from}, valid until the next call or change. A slab list is returned in place; a long list is copied
   * into a scratch array. No allocation per call (but the scratch growing), for passes over every list.
   */
  postings(t: number): Uint32Array {
    const cls = this.classes[t]!;
    if (cls === LONG) {
      const list = this.longLists.get(t)!;
      if (this.scratch.length < list.len) this.scratch = new Uint32Array(list.len);
      list.copyLive(this.scratch);
      this.from = 0;
      return this.scratch;
    }
    if (cls === 0) {
      this.from = 0;
      return this.scratch;
    }
    this.from = this.slabBase(t);
    return this.slabPage(t);
  }

  /** The slab page holding slab list `t`. */
  private slabPage(t: number): Uint32Array {
    return this.slab.pages[this.starts[t]! >>> SLAB_PAGE_BITS]!;
  }

  /** Where slab list `t` starts in {@link slabPage}. */
  private slabBase(t: number): number {
    return this.starts[t]! & SLAB_PAGE_MASK;
  }

  /** Moves slab list `t` (its first `len` words) to a new block of class index `cls`. */
  private moveSlabList(t: number, len: number, cls: number): void {
    const offset = this.slab.alloc(cls);
    const from = this.starts[t]!;
    this.slab.move(offset, from, len);
    this.slab.release(from, this.classes[t]! - 1);
    this.starts[t] = offset;
    this.classes[t] = cls + 1;
  }

  /** Puts `count` live 32-bit postings from `source[from …]` in a new slab block for token `t`. */
  private toSlab(t: number, source: Uint32Array, from: number, count: number): void {
    const cls = classFor(count);
    const offset = this.slab.alloc(cls);
    this.slab.put(offset, source, from, count);
    this.starts[t] = offset;
    this.classes[t] = cls + 1;
  }

  /** Adds `item` (not live in the list) to token `t`'s list. */
  insert(t: number, item: number, code: number): void {
    const cls = this.classes[t]!;
    const len = this.live[t]!;
    this.live[t] = len + 1;
    if (cls === LONG) {
      const list = this.longLists.get(t)!;
      const p = list.position(item);
      if (list.holds(p, item))
        list.data[p] = ((item & CHUNK_MASK) << 2) | code; // revive its tombstone
      else list.insert(p, item, code);
      return;
    }
    const value = item * 4 + code;
    if (cls === 0) {
      const offset = this.slab.alloc(0);
      this.slab.pages[offset >>> SLAB_PAGE_BITS]![offset & SLAB_PAGE_MASK] = value;
      this.starts[t] = offset;
      this.classes[t] = 1;
      return;
    }
    let buf = this.slabPage(t);
    let base = this.slabBase(t);
    const p = buf[base + len - 1]! >>> 2 < item ? len : lowerBound(buf, base, len, item);
    if (len === POSTING_CLASSES[cls - 1]!) {
      if (len === SLAB_MAX) {
        // Too long for the slab: 2 bytes a posting from now on.
        const list = new LongList(buf, base, len);
        this.slab.release(this.starts[t]!, cls - 1);
        this.longLists.set(t, list);
        this.classes[t] = LONG;
        list.insert(list.position(item), item, code);
        return;
      }
      this.moveSlabList(t, len, cls); // class index `cls` is the one above the current (cls - 1)
      buf = this.slabPage(t);
      base = this.slabBase(t);
    }
    if (p < len) buf.copyWithin(base + p + 1, base + p, base + len);
    buf[base + p] = value;
  }

  /** Throws: the forward index and the posting lists disagree (a bug). */
  private inconsistent(t: number, item: number): never {
    throw new Error(`TextIndex: internal inconsistency (item ${item} missing from token ${t})`);
  }

  /** Position of live `item` in slab list `t`. */
  private findInSlab(t: number, item: number): number {
    const buf = this.slabPage(t);
    const base = this.slabBase(t);
    const len = this.live[t]!;
    const p = lowerBound(buf, base, len, item);
    if (p >= len || buf[base + p]! >>> 2 !== item) this.inconsistent(t, item);
    return p;
  }

  /** Position of live `item` in long list `t`. */
  private findInLong(list: LongList, t: number, item: number): number {
    const p = list.position(item);
    if (!list.holds(p, item) || (list.data[p]! & 3) === 0) this.inconsistent(t, item);
    return p;
  }

  /** Sets the code of live `item` in token `t`'s list. */
  update(t: number, item: number, code: number): void {
    if (this.classes[t] === LONG) {
      const list = this.longLists.get(t)!;
      list.data[this.findInLong(list, t, item)] = ((item & CHUNK_MASK) << 2) | code;
    } else {
      this.slabPage(t)[this.slabBase(t) + this.findInSlab(t, item)] = item * 4 + code;
    }
  }

  /** Removes live `item` from token `t`'s list. */
  remove(t: number, item: number): void {
    const cls = this.classes[t]!;
    const live = this.live[t]! - 1;
    if (cls === LONG) {
      const list = this.longLists.get(t)!;
      const p = this.findInLong(list, t, item);
      list.data[p] = (item & CHUNK_MASK) << 2; // tombstone
      this.live[t] = live;
      if (list.len - live > TOMBSTONE_BASE + (list.len >>> 4)) this.compactLong(t, list);
      return;
    }
    const len = live + 1;
    const p = this.findInSlab(t, item);
    const buf = this.slabPage(t);
    const base = this.slabBase(t);
    buf.copyWithin(base + p, base + p + 1, base + len);
    this.live[t] = live;
    if (len === 1) {
      this.slab.release(this.starts[t]!, cls - 1);
      this.classes[t] = 0;
    } else if (len - 1 <= POSTING_CLASSES[cls - 1]! / 2) {
      this.moveSlabList(t, len - 1, classFor(len - 1));
    }
  }

  /** Drops a long list's tombstones; moves it back to the slab once it is down to half the slab's maximum. */
  private compactLong(t: number, list: LongList): void {
    list.compact();
    if (list.len > SLAB_MAX / 2) return;
    this.longLists.delete(t);
    this.classes[t] = 0;
    if (list.len === 0) return;
    const postings = new Uint32Array(list.len);
    this.toSlab(t, postings, 0, list.copyLive(postings));
  }

  /** Reclaims the slab's free blocks once they exceed an eighth of it. */
  maybeCompact(): void {
    if (this.slab.top >= COMPACT_MIN && this.slab.freeWords * 8 > this.slab.top) this.compactSlab();
  }

  /** Slides every slab list down over the free blocks (in place, in offset order) and drops emptied pages. */
  private compactSlab(): void {
    const tokens: number[] = [];
    for (let t = 0; t < this.tokens; t++) {
      const cls = this.classes[t]!;
      if (cls !== 0 && cls !== LONG) tokens.push(t);
    }
    const start = this.starts;
    tokens.sort((a, b) => start[a]! - start[b]!);
    let top = 0;
    for (const t of tokens) {
      const size = POSTING_CLASSES[this.classes[t]! - 1]!;
      top = fitInPage(top, size, SLAB_PAGE_SIZE);
      if (start[t] !== top) this.slab.move(top, start[t]!, this.live[t]!);
      start[t] = top;
      top += size;
    }
    this.slab.reset(top);
  }

  /** Item of the `nth` (0-based) live posting of token `t`'s list (maxItem if it has no more). */
  liveItemAt(t: number, nth: number): number {
    if (this.classes[t] === LONG) return this.longLists.get(t)!.liveItemAt(nth, this.live[t]!);
    return nth < this.live[t]! ? this.slabPage(t)[this.slabBase(t) + nth]! >>> 2 : MAX_ITEM;
  }

  /** Reads token `t`'s live postings with item ≤ `upTo` into `candidates`, as term `g`. */
  scan(t: number, termIdf: number, g: number, upTo: number, candidates: Candidates): void {
    if (this.classes[t] === LONG) {
      this.longLists.get(t)!.scan(termIdf, g, upTo, candidates);
      return;
    }
    const buf = this.slabPage(t);
    const base = this.slabBase(t);
    const end = base + this.live[t]!;
    for (let i = base; i < end; i++) {
      const v = buf[i]!;
      const item = v >>> 2;
      if (item > upTo) return;
      candidates.accumulate(item, g, termIdf * WEIGHTS[v & 3]!);
    }
  }

  /** Weight code of `item` in token `t`'s list, 0 if absent. */
  codeOf(t: number, item: number): number {
    if (this.classes[t] === LONG) return this.longLists.get(t)!.codeOf(item);
    const buf = this.slabPage(t);
    const base = this.slabBase(t);
    const len = this.live[t]!;
    const p = lowerBound(buf, base, len, item);
    return p < len && buf[base + p]! >>> 2 === item ? buf[base + p]! & 3 : 0;
  }
}
