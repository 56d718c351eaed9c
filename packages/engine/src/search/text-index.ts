/**
 * The text index behind the `search` strategy: which items match a query in their title, brand, tags and
 * categories, scored BM25-like, best first. The engine personalises the result afterwards.
 *
 * ## Scoring
 *
 * Text is tokenised by {@link tokenize}. Each (item, token) pair keeps the best weight of the fields it appears
 * in: title 2, brand 1.5, tags 1.5, categories 1 (a category path "A > B" yields the tokens of every level). A
 * query is tokenised the same way and de-duplicated into at most `maxQueryTokens` terms (the first ones, plus
 * always the last). An item's score is the sum over the terms it matches of `idf(term) × best field weight`,
 * with `idf(df) = ln(1 + (N − df + 0.5) / (df + 0.5))`, N = indexed items, df = indexed items containing the
 * token. So a rare term outweighs a common one, a title match outweighs a category match, and matching more
 * terms of the same rarity and field scores more.
 *
 * Search as you type: the LAST term, when it has at least `prefixMinLength` (3) characters, also matches the
 * tokens it is a strict prefix of ("runn" → "running", "runner"). Those completions are scored with the idf of
 * the prefix as a whole (df = the term's own df plus the completions' dfs, capped at N), which is never above
 * the idf of the exact token, and an item counts the best of its exact/completion matches for that term, once.
 * At most `maxPrefixTerms` completions are used: those in most items (ties: smaller token in code-unit order)
 * among the first `maxPrefixScan` in sorted order plus the (≤ `pendingTokens`) tokens not yet merged into the
 * sorted dictionary.
 *
 * Results are visited best first; equal scores go by smaller item index. An item's score is always summed in
 * term order, so equal matches give bit-equal scores.
 *
 * ## Bounded query work
 *
 * A query reads at most `scanBudget` live postings over all its lists, shared out "water-filling" style: lists
 * are taken from the shortest; a list is read whole while it fits its fair share of what is left; the remaining
 * (longer, "capped") lists all share the rest equally: each is read only up to a horizon H, the item of the
 * share-th live posting of the densest one, the same H for all of them. So items ≤ H get exact scores, and the
 * candidates found beyond H by whole-read (rarer) lists get their capped-term contributions by binary search
 * (`probeBudget` searches per query at most; past it such items keep the contributions found so far). Items
 * beyond H matching only capped terms are not returned: for very common terms the index favours smaller item
 * indices. Candidates live in a small open-addressing table (no per-item scratch), so a query costs about
 * `scanBudget` posting reads + `probeBudget` binary searches at worst, whatever the catalog size.
 *
 * ## Layout (compact: no object per item, per token, per posting or per short list)
 *
 * - Vocabulary: tokens as UTF-16 code units in one Uint16Array, their offsets in a Uint32Array, and an
 *   open-addressing hash table (Int32Array, load ≤ 1/2) token → dense token id. Ids are never reused: a token
 *   whose items are all gone keeps ~30 bytes.
 * - Posting list per token: item × 4 + weight code (1 category, 2 brand/tag, 3 title; 0 = tombstone) in a
 *   Uint32, sorted by item, so membership is a binary search. Lists of up to 64 postings share one slab with
 *   size classes 1, 2, 3, 4, 6, 8, … 64 words (freed blocks reused LIFO per class; the slab is compacted in
 *   place once free blocks exceed a quarter of it); longer lists get their own Uint32Array grown by 1.25×. Short
 *   lists delete physically; long lists tombstone (code 0, item kept so the order holds) and are compacted once
 *   they hold more than 64 + len/16 tombstones: a removal costs O(log len) plus ≤ ~16 amortised word moves.
 * - Forward index (for removal and re-indexing): each item's sorted token ids, delta + LEB128 encoded (~2–3
 *   bytes a token), in an append-only byte log; a shorter re-encoding overwrites in place; the log is rewritten
 *   (item order) once its garbage exceeds a quarter of it.
 * - Sorted dictionary for prefixes: token ids in token order (Uint32Array) plus up to `pendingTokens` newer
 *   ids scanned linearly; when that many pile up they are merged in (binary-searched positions, block moves).
 *   Queries never modify the index.
 *
 * Growable arrays grow by 1.25×, so about 4.5 bytes a posting + ~2.5 bytes a posting of forward index + ~30
 * bytes a distinct token + 7 bytes an item: 1M items × 10 distinct tokens with a 200k-token vocabulary is
 * ~80 MB (see the memory figures in the report of the task that introduced this file).
 *
 * Determinism: same calls in the same order ⇒ same ids, layout, results and `writeState` bytes. `writeState`
 * writes the logical state (items present, vocabulary, live postings), not the layout.
 */
import type { StateWriter } from "../state/state-writer.js";
import { tokenize } from "./tokenize.js";

/** The text of an item, as the catalog knows it. */
export interface TextFields {
  title?: string;
  tags?: readonly string[];
  brand?: string;
  categories?: readonly string[];
}

/** The fixed bounds of the index, explained in the module comment. */
export const TEXT_INDEX_BOUNDS = Object.freeze({
  /** Largest item index (items are integers in [0, maxItem]; item × 4 + code must fit 32 bits). */
  maxItem: 2 ** 30 - 1,
  /** Tokens indexed per item: the first ones of its text in the order title, brand, tags, categories. */
  maxTokensPerItem: 1024,
  /** Longer tokens (in UTF-16 code units) are ignored, in items and in queries. */
  maxTokenLength: 64,
  /** Distinct query terms used: the first `maxQueryTokens − 1` plus the last. */
  maxQueryTokens: 8,
  /** The last query term also matches as a prefix when it has at least this many characters. */
  prefixMinLength: 3,
  /** Completions used for the prefix term. */
  maxPrefixTerms: 8,
  /** Sorted-dictionary entries examined for the prefix term. */
  maxPrefixScan: 4096,
  /** New tokens kept aside (scanned linearly by prefix lookups) before being merged into the dictionary. */
  pendingTokens: 512,
  /** Live postings read per query, over all its lists. */
  scanBudget: 8192,
  /** Binary searches per query for candidates beyond the horizon. */
  probeBudget: 2048,
});

const MAX_ITEM = TEXT_INDEX_BOUNDS.maxItem;
const MAX_TOKENS_PER_ITEM = TEXT_INDEX_BOUNDS.maxTokensPerItem;
const MAX_TOKEN_LENGTH = TEXT_INDEX_BOUNDS.maxTokenLength;
const MAX_QUERY_TOKENS = TEXT_INDEX_BOUNDS.maxQueryTokens;
const PREFIX_MIN_LENGTH = TEXT_INDEX_BOUNDS.prefixMinLength;
const MAX_PREFIX_TERMS = TEXT_INDEX_BOUNDS.maxPrefixTerms;
const MAX_PREFIX_SCAN = TEXT_INDEX_BOUNDS.maxPrefixScan;
const PENDING_TOKENS = TEXT_INDEX_BOUNDS.pendingTokens;
const SCAN_BUDGET = TEXT_INDEX_BOUNDS.scanBudget;
const PROBE_BUDGET = TEXT_INDEX_BOUNDS.probeBudget;

/** Weight codes (low 2 bits of a posting) and their field weights. */
const CODE_CATEGORY = 1;
const CODE_BRAND_OR_TAG = 2;
const CODE_TITLE = 3;
const WEIGHTS = new Float64Array([0, 1, 1.5, 2]);

/** A long list is compacted when its tombstones exceed this plus len/16. */
const TOMBSTONE_BASE = 64;
/** Longest list kept in the shared slab. */
const SLAB_MAX = 64;
/** Slab / forward-log garbage is only reclaimed past this size (words / bytes). */
const COMPACT_MIN = 1 << 16;
/** The slab and the forward log are lists of fixed pages (no block straddles two): growing never copies. */
const PAGE_BITS = 16;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;

/** `offset` if a block of `size` fits in the rest of its page, else the start of the next page. */
function fitInPage(offset: number, size: number): number {
  const inPage = offset & PAGE_MASK;
  return inPage + size <= PAGE_SIZE ? offset : offset - inPage + PAGE_SIZE;
}
/** Token ids stay below 2^30 (forward varints, id × 4 + code in sorting). */
const MAX_TOKENS = 2 ** 30;
/** Words per `writeState` posting chunk. */
const STATE_CHUNK = 1 << 16;
/** An id that is never a token id (merge sentinel). */
const NO_TOKEN = MAX_TOKENS;

/** Slab block sizes: 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, … 56, 64 (≤ 1.25× apart above 4). */
const POSTING_CLASSES = (() => {
  const out = [1, 2, 3];
  for (let p = 4; p < SLAB_MAX; p *= 2) for (let k = 4; k < 8; k++) out.push((p * k) / 4);
  out.push(SLAB_MAX);
  return Uint32Array.from(out);
})();
/** `postClass` of a list in its own array; slab lists store class index + 1; 0 = no list. */
const BIG = 255;

/** Index of the smallest posting class holding `n` (n ≤ SLAB_MAX). */
function classFor(n: number): number {
  let c = 0;
  while (POSTING_CLASSES[c]! < n) c++;
  return c;
}

function grownU32(array: Uint32Array<ArrayBuffer>, min: number): Uint32Array<ArrayBuffer> {
  if (array.length >= min) return array;
  const next = new Uint32Array(Math.max(min, Math.ceil(array.length * 1.25), 64));
  next.set(array);
  return next;
}

function grownU16(array: Uint16Array<ArrayBuffer>, min: number): Uint16Array<ArrayBuffer> {
  if (array.length >= min) return array;
  const next = new Uint16Array(Math.max(min, Math.ceil(array.length * 1.25), 64));
  next.set(array);
  return next;
}

function grownU8(array: Uint8Array<ArrayBuffer>, min: number): Uint8Array<ArrayBuffer> {
  if (array.length >= min) return array;
  const next = new Uint8Array(Math.max(min, Math.ceil(array.length * 1.25), 64));
  next.set(array);
  return next;
}

/** First index in [0, len) whose posting's item is ≥ `item` (postings at buf[base + i], sorted by item). */
function lowerBound(buf: Uint32Array, base: number, len: number, item: number): number {
  let lo = 0;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (buf[base + mid]! >>> 2 < item) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Distinct query terms, the last token last (it is the one that also matches as a prefix). */
function queryTerms(query: string): string[] {
  const tokens = tokenize(query).filter((token) => token.length <= MAX_TOKEN_LENGTH);
  if (tokens.length === 0) return tokens;
  const last = tokens[tokens.length - 1]!;
  const terms: string[] = [];
  for (const token of tokens) {
    if (terms.length === MAX_QUERY_TOKENS - 1) break;
    if (token !== last && !terms.includes(token)) terms.push(token);
  }
  terms.push(last);
  return terms;
}

/** Tokens ↔ dense ids, without a JS string or Map entry per token. */
class Vocabulary {
  count = 0;
  private chars = new Uint16Array(4096);
  private used = 0;
  /** Token `id` is chars[offsets[id], offsets[id + 1]). */
  private offsets = new Uint32Array(1024);
  /** Open addressing, linear probing: pairs (token id or -1, its hash), so most mismatches cost no lookup. */
  private table = new Int32Array(2 * 2048).fill(-1);

  /** FNV-1a over the UTF-16 code units, as an int32 (the table stores it in an Int32Array). */
  private static hash(token: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
    return h | 0;
  }

  /** Table index (of the id of a pair) holding `token`, or of the empty pair where it would go. */
  private slotOf(token: string, hash: number): number {
    const table = this.table;
    const mask = (table.length >>> 1) - 1;
    let h = hash & mask;
    for (;;) {
      const id = table[2 * h]!;
      if (id < 0 || (table[2 * h + 1] === hash && this.equals(id, token))) return 2 * h;
      h = (h + 1) & mask;
    }
  }

  private equals(id: number, token: string): boolean {
    const start = this.offsets[id]!;
    if (this.offsets[id + 1]! - start !== token.length) return false;
    for (let i = 0; i < token.length; i++) if (this.chars[start + i] !== token.charCodeAt(i)) return false;
    return true;
  }

  /** The id of `token`, or -1. */
  find(token: string): number {
    return this.table[this.slotOf(token, Vocabulary.hash(token))]!;
  }

  /** The id of `token`, added if new. */
  intern(token: string): number {
    const hash = Vocabulary.hash(token);
    let slot = this.slotOf(token, hash);
    const known = this.table[slot]!;
    if (known >= 0) return known;
    const id = this.count;
    if (id >= MAX_TOKENS) throw new RangeError(`TextIndex: more than ${MAX_TOKENS} distinct tokens`);
    this.chars = grownU16(this.chars, this.used + token.length);
    for (let i = 0; i < token.length; i++) this.chars[this.used++] = token.charCodeAt(i);
    this.offsets = grownU32(this.offsets, id + 2);
    this.offsets[id + 1] = this.used;
    this.count = id + 1;
    if (this.count > this.table.length >>> 2) {
      this.rehash();
      slot = this.slotOf(token, hash);
    }
    this.table[slot] = id;
    this.table[slot + 1] = hash;
    return id;
  }

  /** Doubles the table (kept at most half full). */
  private rehash(): void {
    const old = this.table;
    this.table = new Int32Array(2 * old.length).fill(-1);
    const mask = (this.table.length >>> 1) - 1;
    for (let i = 0; i < old.length; i += 2) {
      const id = old[i]!;
      if (id < 0) continue;
      let h = old[i + 1]! & mask;
      while (this.table[2 * h]! >= 0) h = (h + 1) & mask;
      this.table[2 * h] = id;
      this.table[2 * h + 1] = old[i + 1]!;
    }
  }

  toString(id: number): string {
    return String.fromCharCode(...this.chars.subarray(this.offsets[id]!, this.offsets[id + 1]!));
  }

  /** Code-unit order of two tokens (same order as `<` on JS strings). */
  compare(a: number, b: number): number {
    let i = this.offsets[a]!;
    const endA = this.offsets[a + 1]!;
    let j = this.offsets[b]!;
    const endB = this.offsets[b + 1]!;
    for (; i < endA && j < endB; i++, j++) {
      const d = this.chars[i]! - this.chars[j]!;
      if (d !== 0) return d;
    }
    return endA - i - (endB - j);
  }

  /** Code-unit order of token `id` and `text`. */
  compareWith(id: number, text: string): number {
    const start = this.offsets[id]!;
    const length = this.offsets[id + 1]! - start;
    const n = Math.min(length, text.length);
    for (let i = 0; i < n; i++) {
      const d = this.chars[start + i]! - text.charCodeAt(i);
      if (d !== 0) return d;
    }
    return length - text.length;
  }

  startsWith(id: number, prefix: string): boolean {
    const start = this.offsets[id]!;
    if (this.offsets[id + 1]! - start < prefix.length) return false;
    for (let i = 0; i < prefix.length; i++) if (this.chars[start + i] !== prefix.charCodeAt(i)) return false;
    return true;
  }

  writeState(out: StateWriter): void {
    out.u32(this.count);
    out.array(this.offsets.subarray(0, this.count + 1));
    out.array(this.chars.subarray(0, this.used));
  }
}

/**
 * Blocks of the posting size classes in pages of PAGE_SIZE words. A block is addressed by a global word offset:
 * page `offset >>> PAGE_BITS`, index `offset & PAGE_MASK`. Freed blocks are reused LIFO per class.
 */
class Slab {
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
    const offset = fitInPage(this.top, size);
    this.top = offset + size;
    while (this.pages.length * PAGE_SIZE < this.top) this.pages.push(new Uint32Array(PAGE_SIZE));
    return offset;
  }

  release(offset: number, cls: number): void {
    this.free[cls]!.push(offset);
    this.freeWords += POSTING_CLASSES[cls]!;
  }

  /** Copies `len` words between blocks (which may be in different pages, or overlap in one). */
  move(to: number, from: number, len: number): void {
    const source = this.pages[from >>> PAGE_BITS]!;
    const target = this.pages[to >>> PAGE_BITS]!;
    const f = from & PAGE_MASK;
    if (source === target) source.copyWithin(to & PAGE_MASK, f, f + len);
    else target.set(source.subarray(f, f + len), to & PAGE_MASK);
  }

  /** After blocks were moved below `top`: forgets every free block and drops the pages past `top`. */
  reset(top: number): void {
    for (const list of this.free) list.length = 0;
    this.freeWords = 0;
    this.top = top;
    this.pages.length = Math.ceil(top / PAGE_SIZE);
  }
}

export class TextIndex {
  private readonly vocab = new Vocabulary();

  // Posting lists, per token id.
  private postStart = new Uint32Array(0);
  private postLen = new Uint32Array(0);
  private postLive = new Uint32Array(0);
  private postClass = new Uint8Array(0);
  private readonly bigLists = new Map<number, Uint32Array>();
  private readonly slab = new Slab();

  // Sorted dictionary (prefix lookups).
  private dict = new Uint32Array(0);
  private dictLen = 0;
  private readonly pending: number[] = [];

  // Per item: present flag, forward-log entry.
  private present = new Uint8Array(0);
  private fwdStart = new Uint32Array(0);
  private fwdLen = new Uint16Array(0);
  private fwdPages: Uint8Array[] = [];
  private fwdTop = 0;
  private fwdGarbage = 0;
  private count = 0;

  // Write scratch.
  private rawCount = 0;
  private readonly newPacked = new Uint32Array(MAX_TOKENS_PER_ITEM);
  private readonly oldIds = new Uint32Array(MAX_TOKENS_PER_ITEM);
  private readonly encoded = new Uint8Array(MAX_TOKENS_PER_ITEM * 5);

  // Query scratch: candidate table (item → slot), candidates, their per-term contributions.
  private tableItems = new Int32Array(0);
  private tableSlots = new Int32Array(0);
  private tableShift = 32;
  private candItems = new Uint32Array(0);
  private candPos = new Uint32Array(0);
  private contrib = new Float64Array(0);
  private scores = new Float64Array(0);
  private candCount = 0;
  private stride = 0;

  /** Number of indexed items (including items whose text yielded no token). */
  get size(): number {
    return this.count;
  }

  /** Whether `item` is indexed. */
  has(item: number): boolean {
    return Number.isInteger(item) && item >= 0 && item < this.present.length && this.present[item] === 1;
  }

  /** (Re)indexes `item`: its previous text, if any, is replaced. */
  set(item: number, fields: TextFields): void {
    if (!Number.isInteger(item) || item < 0 || item > MAX_ITEM) {
      throw new RangeError(`TextIndex: item must be an integer in [0, ${MAX_ITEM}], got ${item}`);
    }
    this.ensureItemCapacity(item + 1);
    const packed = this.newPacked;
    const n = this.collect(fields);
    const oldIds = this.oldIds;
    const m = this.decodeForward(item);

    // Merge the sorted old token ids with the sorted new (id, code) pairs.
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      const newId = i < n ? packed[i]! >>> 2 : NO_TOKEN;
      const oldId = j < m ? oldIds[j]! : NO_TOKEN;
      if (oldId < newId) {
        this.removePosting(oldId, item);
        j++;
      } else if (newId < oldId) {
        this.insertPosting(newId, item, packed[i]! & 3);
        i++;
      } else {
        this.updatePosting(newId, item, packed[i]! & 3);
        i++;
        j++;
      }
    }
    this.writeForward(item, n);
    if (this.present[item] === 0) {
      this.present[item] = 1;
      this.count++;
    }
    this.maybeCompact();
  }

  /** Removes `item` from the index (no-op when it is not indexed). */
  remove(item: number): void {
    if (!this.has(item)) return;
    const m = this.decodeForward(item);
    for (let j = 0; j < m; j++) this.removePosting(this.oldIds[j]!, item);
    this.fwdGarbage += this.fwdLen[item]!;
    this.fwdLen[item] = 0;
    this.present[item] = 0;
    this.count--;
    this.maybeCompact();
  }

  /**
   * Visits at most `limit` items matching at least one query term, best first (ties: smaller item), with their
   * scores. An empty or punctuation-only query visits nothing. `visit` may call back into the index.
   */
  search(query: string, limit: number, visit: (item: number, score: number) => void): void {
    const wanted = Math.floor(limit);
    if (!(wanted > 0) || this.count === 0) return;
    const terms = queryTerms(query);
    if (terms.length === 0) return;
    const n = this.count;
    const live = this.postLive;

    // The lists to read: token, idf part of its contribution, term index.
    const listToken: number[] = [];
    const listIdf: number[] = [];
    const listTerm: number[] = [];
    const last = terms.length - 1;
    for (let g = 0; g <= last; g++) {
      const term = terms[g]!;
      const id = this.vocab.find(term);
      const df = id < 0 ? 0 : live[id]!;
      if (df > 0) {
        listToken.push(id);
        listIdf.push(idf(n, df));
        listTerm.push(g);
      }
      if (g === last && term.length >= PREFIX_MIN_LENGTH) {
        const completions = this.completions(term, id);
        let prefixDf = df;
        for (const c of completions) prefixDf += live[c]!;
        const prefixIdf = idf(n, Math.min(n, prefixDf));
        for (const c of completions) {
          listToken.push(c);
          listIdf.push(prefixIdf);
          listTerm.push(g);
        }
      }
    }
    const lists = listToken.length;
    if (lists === 0) return;

    // Share the scan budget: shortest lists first, whole while they fit their share of what is left.
    const order = Array.from(listToken, (_, l) => l).sort(
      (a, b) => live[listToken[a]!]! - live[listToken[b]!]! || a - b,
    );
    let remaining = SCAN_BUDGET;
    let firstCapped = lists;
    let horizon = MAX_ITEM;
    for (let r = 0; r < lists; r++) {
      const df = live[listToken[order[r]!]!]!;
      const share = Math.floor(remaining / (lists - r));
      if (df <= share) {
        remaining -= df;
        continue;
      }
      firstCapped = r;
      for (let c = r; c < lists; c++) {
        horizon = Math.min(horizon, this.liveItemAt(listToken[order[c]!]!, Math.max(1, share) - 1));
      }
      break;
    }

    this.prepareQueryScratch(terms.length);
    let resultItems: Uint32Array;
    let resultScores: Float64Array;
    try {
      for (let r = 0; r < lists; r++) {
        const l = order[r]!;
        this.scan(listToken[l]!, listIdf[l]!, listTerm[l]!, r < firstCapped ? MAX_ITEM : horizon);
      }
      if (firstCapped < lists) {
        const capped = order.slice(firstCapped);
        this.probeBeyond(
          horizon,
          capped.map((l) => listToken[l]!),
          capped.map((l) => listIdf[l]!),
          capped.map((l) => listTerm[l]!),
        );
      }

      // Scores, summed in term order.
      const candidates = this.candCount;
      const stride = this.stride;
      const scores = this.scores;
      const contrib = this.contrib;
      for (let s = 0; s < candidates; s++) {
        let score = 0;
        for (let g = 0; g < stride; g++) score += contrib[s * stride + g]!;
        scores[s] = score;
      }
      const k = Math.min(wanted, candidates);
      const best = this.topSlots(k);
      resultItems = new Uint32Array(k);
      resultScores = new Float64Array(k);
      for (let r = 0; r < k; r++) {
        resultItems[r] = this.candItems[best[r]!]!;
        resultScores[r] = scores[best[r]!]!;
      }
    } finally {
      for (let s = 0; s < this.candCount; s++) this.tableItems[this.candPos[s]!] = -1;
      this.candCount = 0;
    }
    for (let r = 0; r < resultItems.length; r++) visit(resultItems[r]!, resultScores[r]!);
  }

  /** Writes the logical state: items present, vocabulary (by id), live postings of every token. */
  writeState(out: StateWriter): void {
    out.section("search.text-index");
    out.u32(this.count);
    let hi = this.present.length;
    while (hi > 0 && this.present[hi - 1] === 0) hi--;
    out.u32(hi);
    out.array(this.present.subarray(0, hi));
    this.vocab.writeState(out);

    // Per token: live count, then its live postings (item × 4 + code), in item order.
    const words = new Uint32Array(STATE_CHUNK);
    let w = 0;
    for (let t = 0; t < this.vocab.count; t++) {
      if (w === words.length) {
        out.array(words);
        w = 0;
      }
      words[w++] = this.postLive[t]!;
      const cls = this.postClass[t]!;
      if (cls === 0) continue;
      const buf = this.listBuffer(t);
      const base = this.listBase(t);
      const end = base + this.postLen[t]!;
      for (let i = base; i < end; i++) {
        const v = buf[i]!;
        if ((v & 3) === 0) continue;
        if (w === words.length) {
          out.array(words);
          w = 0;
        }
        words[w++] = v;
      }
    }
    if (w > 0) out.array(words.subarray(0, w));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Writes.

  /** Tokenises the fields into `newPacked` (token id × 4 + best code, sorted by id); returns how many. */
  private collect(fields: TextFields): number {
    this.rawCount = 0;
    if (fields.title !== undefined) this.addText(fields.title, CODE_TITLE);
    if (fields.brand !== undefined) this.addText(fields.brand, CODE_BRAND_OR_TAG);
    if (fields.tags !== undefined) for (const tag of fields.tags) this.addText(tag, CODE_BRAND_OR_TAG);
    if (fields.categories !== undefined) {
      for (const path of fields.categories) this.addText(path, CODE_CATEGORY);
    }
    // Sort (insertion sort: a few dozen entries at most, typically), then keep one entry per token, the one
    // with the highest code (sorted last among equal ids).
    const packed = this.newPacked;
    const n = this.rawCount;
    if (n > 64) packed.subarray(0, n).sort();
    else {
      for (let i = 1; i < n; i++) {
        const v = packed[i]!;
        let j = i - 1;
        while (j >= 0 && packed[j]! > v) {
          packed[j + 1] = packed[j]!;
          j--;
        }
        packed[j + 1] = v;
      }
    }
    let w = 0;
    for (let i = 0; i < n; i++) {
      const v = packed[i]!;
      if (w > 0 && packed[w - 1]! >>> 2 === v >>> 2) packed[w - 1] = v;
      else packed[w++] = v;
    }
    return w;
  }

  private addText(text: string, code: number): void {
    for (const token of tokenize(text)) {
      if (token.length > MAX_TOKEN_LENGTH) continue;
      if (this.rawCount === MAX_TOKENS_PER_ITEM) return;
      this.newPacked[this.rawCount++] = this.intern(token) * 4 + code;
    }
  }

  private intern(token: string): number {
    const before = this.vocab.count;
    const id = this.vocab.intern(token);
    if (id < before) return id;
    if (id >= this.postClass.length) {
      this.postStart = grownU32(this.postStart, id + 1);
      this.postLen = grownU32(this.postLen, id + 1);
      this.postLive = grownU32(this.postLive, id + 1);
      this.postClass = grownU8(this.postClass, id + 1);
    }
    this.pending.push(id);
    if (this.pending.length >= PENDING_TOKENS) this.mergePending();
    return id;
  }

  /** Merges the pending tokens into the sorted dictionary: binary-searched positions, block moves. */
  private mergePending(): void {
    const vocab = this.vocab;
    const pending = this.pending;
    pending.sort((a, b) => vocab.compare(a, b));
    this.dict = grownU32(this.dict, this.dictLen + pending.length);
    const dict = this.dict;
    let end = this.dictLen + pending.length;
    let hi = this.dictLen;
    for (let j = pending.length - 1; j >= 0; j--) {
      const id = pending[j]!;
      let lo = 0;
      let h = hi;
      while (lo < h) {
        const mid = (lo + h) >>> 1;
        if (vocab.compare(dict[mid]!, id) < 0) lo = mid + 1;
        else h = mid;
      }
      dict.copyWithin(end - (hi - lo), lo, hi);
      end -= hi - lo;
      dict[--end] = id;
      hi = lo;
    }
    this.dictLen += pending.length;
    pending.length = 0;
  }

  private ensureItemCapacity(min: number): void {
    if (this.present.length >= min) return;
    this.present = grownU8(this.present, min);
    this.fwdStart = grownU32(this.fwdStart, this.present.length);
    this.fwdLen = grownU16(this.fwdLen, this.present.length);
  }

  /** The array holding token `t`'s postings (its own, or its slab page). */
  private listBuffer(t: number): Uint32Array {
    return this.postClass[t] === BIG
      ? this.bigLists.get(t)!
      : this.slab.pages[this.postStart[t]! >>> PAGE_BITS]!;
  }

  /** Where token `t`'s postings start in {@link listBuffer}. */
  private listBase(t: number): number {
    return this.postClass[t] === BIG ? 0 : this.postStart[t]! & PAGE_MASK;
  }

  /** Moves slab list `t` (its first `len` words) to a new block of class index `cls`. */
  private moveSlabList(t: number, len: number, cls: number): void {
    const offset = this.slab.alloc(cls);
    const from = this.postStart[t]!;
    this.slab.move(offset, from, len);
    this.slab.release(from, this.postClass[t]! - 1);
    this.postStart[t] = offset;
    this.postClass[t] = cls + 1;
  }

  /** Adds `item` (not live in the list) to token `t`'s list. */
  private insertPosting(t: number, item: number, code: number): void {
    const value = item * 4 + code;
    const cls = this.postClass[t]!;
    this.postLive[t] = this.postLive[t]! + 1;
    if (cls === 0) {
      const offset = this.slab.alloc(0);
      this.slab.pages[offset >>> PAGE_BITS]![offset & PAGE_MASK] = value;
      this.postStart[t] = offset;
      this.postClass[t] = 1;
      this.postLen[t] = 1;
      return;
    }
    const len = this.postLen[t]!;
    let buf = this.listBuffer(t);
    let base = this.listBase(t);
    const p = buf[base + len - 1]! >>> 2 < item ? len : lowerBound(buf, base, len, item);
    if (cls === BIG) {
      // Reuse a tombstone when the order allows: the item's own, or one next to the insertion point.
      let reuse = -1;
      if (p < len && buf[p]! >>> 2 === item) reuse = p;
      else if (p > 0 && (buf[p - 1]! & 3) === 0) reuse = p - 1;
      else if (p < len && (buf[p]! & 3) === 0) reuse = p;
      if (reuse >= 0) {
        buf[reuse] = value;
        return;
      }
    }
    const capacity = cls === BIG ? buf.length : POSTING_CLASSES[cls - 1]!;
    if (len === capacity) {
      if (cls === BIG) {
        const next = new Uint32Array(capacity + (capacity >>> 2));
        next.set(buf.subarray(0, len));
        this.bigLists.set(t, next);
      } else if (cls === POSTING_CLASSES.length) {
        const next = new Uint32Array(capacity + (capacity >>> 1));
        next.set(buf.subarray(base, base + len));
        this.slab.release(this.postStart[t]!, cls - 1);
        this.bigLists.set(t, next);
        this.postClass[t] = BIG;
      } else {
        this.moveSlabList(t, len, cls); // class index `cls` is the one above the current (cls - 1)
      }
      buf = this.listBuffer(t);
      base = this.listBase(t);
    }
    if (p < len) buf.copyWithin(base + p + 1, base + p, base + len);
    buf[base + p] = value;
    this.postLen[t] = len + 1;
  }

  /** Position of live `item` in token `t`'s list (throws if absent: the forward index and lists disagree). */
  private find(t: number, item: number): number {
    const buf = this.listBuffer(t);
    const base = this.listBase(t);
    const len = this.postLen[t]!;
    const p = lowerBound(buf, base, len, item);
    const v = buf[base + p];
    if (p >= len || v === undefined || v >>> 2 !== item || (v & 3) === 0) {
      throw new Error(`TextIndex: internal inconsistency (item ${item} missing from token ${t})`);
    }
    return p;
  }

  private updatePosting(t: number, item: number, code: number): void {
    const p = this.find(t, item);
    this.listBuffer(t)[this.listBase(t) + p] = item * 4 + code;
  }

  private removePosting(t: number, item: number): void {
    const cls = this.postClass[t]!;
    const len = this.postLen[t]!;
    const p = this.find(t, item);
    if (cls === BIG) {
      this.bigLists.get(t)![p] = item * 4;
      const live = this.postLive[t]! - 1;
      this.postLive[t] = live;
      if (live === 0 || len - live > TOMBSTONE_BASE + (len >>> 4)) this.compactBig(t);
      return;
    }
    const buf = this.listBuffer(t);
    const base = this.listBase(t);
    buf.copyWithin(base + p, base + p + 1, base + len);
    this.postLen[t] = len - 1;
    this.postLive[t] = len - 1;
    if (len === 1) {
      this.slab.release(this.postStart[t]!, cls - 1);
      this.postClass[t] = 0;
    } else if (len - 1 <= POSTING_CLASSES[cls - 1]! / 2) {
      this.moveSlabList(t, len - 1, classFor(len - 1));
    }
  }

  /** Drops the tombstones of a long list; moves it back to the slab, or shrinks it, when much shorter. */
  private compactBig(t: number): void {
    const buf = this.bigLists.get(t)!;
    const len = this.postLen[t]!;
    let w = 0;
    for (let r = 0; r < len; r++) {
      const v = buf[r]!;
      if ((v & 3) !== 0) buf[w++] = v;
    }
    this.postLen[t] = w;
    if (w === 0) {
      this.bigLists.delete(t);
      this.postClass[t] = 0;
    } else if (w <= SLAB_MAX) {
      const cls = classFor(w);
      const offset = this.slab.alloc(cls);
      this.slab.pages[offset >>> PAGE_BITS]!.set(buf.subarray(0, w), offset & PAGE_MASK);
      this.bigLists.delete(t);
      this.postStart[t] = offset;
      this.postClass[t] = cls + 1;
    } else if (buf.length > w + (w >>> 1)) {
      this.bigLists.set(t, buf.slice(0, w + (w >>> 3)));
    }
  }

  /** Reclaims slab free blocks and forward-log garbage once they exceed a quarter of their arena. */
  private maybeCompact(): void {
    if (this.slab.top >= COMPACT_MIN && this.slab.freeWords * 4 > this.slab.top) this.compactSlab();
    if (this.fwdTop >= COMPACT_MIN && this.fwdGarbage * 4 > this.fwdTop) this.compactForward();
  }

  /** Slides every slab list down over the free blocks (in place, in offset order) and drops emptied pages. */
  private compactSlab(): void {
    const tokens: number[] = [];
    for (let t = 0; t < this.vocab.count; t++) {
      const cls = this.postClass[t]!;
      if (cls !== 0 && cls !== BIG) tokens.push(t);
    }
    const start = this.postStart;
    tokens.sort((a, b) => start[a]! - start[b]!);
    let top = 0;
    for (const t of tokens) {
      const size = POSTING_CLASSES[this.postClass[t]! - 1]!;
      top = fitInPage(top, size);
      if (start[t] !== top) this.slab.move(top, start[t]!, this.postLen[t]!);
      start[t] = top;
      top += size;
    }
    this.slab.reset(top);
  }

  /** Appends `len` bytes of `bytes` to the forward log; returns their offset. */
  private appendForward(bytes: Uint8Array, len: number): number {
    const offset = fitInPage(this.fwdTop, len);
    this.fwdGarbage += offset - this.fwdTop;
    this.fwdTop = offset + len;
    while (this.fwdPages.length * PAGE_SIZE < this.fwdTop) this.fwdPages.push(new Uint8Array(PAGE_SIZE));
    this.fwdPages[offset >>> PAGE_BITS]!.set(bytes.subarray(0, len), offset & PAGE_MASK);
    return offset;
  }

  /** Rewrites the forward log without garbage, in item order, page by page. */
  private compactForward(): void {
    const old = this.fwdPages;
    this.fwdPages = [];
    this.fwdTop = 0;
    this.fwdGarbage = 0;
    for (let item = 0; item < this.present.length; item++) {
      const len = this.fwdLen[item]!;
      if (len === 0) continue;
      const from = this.fwdStart[item]!;
      const page = old[from >>> PAGE_BITS]!;
      const f = from & PAGE_MASK;
      this.fwdStart[item] = this.appendForward(page.subarray(f, f + len), len);
    }
  }

  /** Decodes `item`'s sorted token ids into `oldIds`; returns how many. */
  private decodeForward(item: number): number {
    const start = this.fwdStart[item]!;
    const bytes = this.fwdPages[start >>> PAGE_BITS];
    if (bytes === undefined) return 0;
    let pos = start & PAGE_MASK;
    const end = pos + this.fwdLen[item]!;
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
      this.oldIds[m++] = id;
    }
    return m;
  }

  /** Stores the ids of `newPacked[0, n)` as `item`'s forward entry. */
  private writeForward(item: number, n: number): void {
    const bytes = this.encoded;
    let len = 0;
    let previous = 0;
    for (let i = 0; i < n; i++) {
      const id = this.newPacked[i]! >>> 2;
      let delta = id - previous;
      previous = id;
      while (delta >= 0x80) {
        bytes[len++] = (delta & 0x7f) | 0x80;
        delta >>>= 7;
      }
      bytes[len++] = delta;
    }
    const old = this.fwdLen[item]!;
    if (len <= old) {
      // Shorter or equal: overwrite in place; the tail becomes garbage.
      const start = this.fwdStart[item]!;
      this.fwdPages[start >>> PAGE_BITS]!.set(bytes.subarray(0, len), start & PAGE_MASK);
      this.fwdGarbage += old - len;
    } else {
      this.fwdGarbage += old;
      this.fwdStart[item] = this.appendForward(bytes, len);
    }
    this.fwdLen[item] = len;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Queries.

  /** Live tokens that `prefix` is a strict prefix of, best `MAX_PREFIX_TERMS` by df (ties: smaller token). */
  private completions(prefix: string, exact: number): number[] {
    const vocab = this.vocab;
    const live = this.postLive;
    const best: number[] = [];
    const consider = (id: number): void => {
      if (id === exact) return;
      const df = live[id]!;
      if (df === 0) return;
      let at = best.length;
      while (at > 0) {
        const other = best[at - 1]!;
        const otherDf = live[other]!;
        if (otherDf > df || (otherDf === df && vocab.compare(other, id) < 0)) break;
        at--;
      }
      if (at >= MAX_PREFIX_TERMS) return;
      best.splice(at, 0, id);
      if (best.length > MAX_PREFIX_TERMS) best.pop();
    };
    const dict = this.dict;
    let lo = 0;
    let hi = this.dictLen;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (vocab.compareWith(dict[mid]!, prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    // The tokens starting with `prefix` are the contiguous range [lo, hi) of the sorted dictionary.
    hi = this.dictLen;
    let first = lo;
    while (first < hi) {
      const mid = (first + hi) >>> 1;
      if (vocab.startsWith(dict[mid]!, prefix)) first = mid + 1;
      else hi = mid;
    }
    const end = Math.min(hi, lo + MAX_PREFIX_SCAN);
    for (let i = lo; i < end; i++) consider(dict[i]!);
    for (const id of this.pending) if (vocab.startsWith(id, prefix)) consider(id);
    return best;
  }

  /** Item of the `nth` (0-based) live posting of token `t`'s list (which has more than `nth` live postings). */
  private liveItemAt(t: number, nth: number): number {
    const buf = this.listBuffer(t);
    const base = this.listBase(t);
    const end = base + this.postLen[t]!;
    let seen = 0;
    for (let i = base; i < end; i++) {
      const v = buf[i]!;
      if ((v & 3) !== 0 && seen++ === nth) return v >>> 2;
    }
    return MAX_ITEM;
  }

  private prepareQueryScratch(terms: number): void {
    if (this.tableItems.length === 0) {
      const tableSize = 4 * SCAN_BUDGET;
      this.tableItems = new Int32Array(tableSize).fill(-1);
      this.tableSlots = new Int32Array(tableSize);
      this.tableShift = 32 - Math.log2(tableSize);
      this.candItems = new Uint32Array(SCAN_BUDGET);
      this.candPos = new Uint32Array(SCAN_BUDGET);
      this.contrib = new Float64Array(SCAN_BUDGET * MAX_QUERY_TOKENS);
      this.scores = new Float64Array(SCAN_BUDGET);
    }
    this.candCount = 0;
    this.stride = terms;
  }

  /** Reads token `t`'s live postings with item ≤ `upTo` into the candidates, as term `g`. */
  private scan(t: number, termIdf: number, g: number, upTo: number): void {
    const buf = this.listBuffer(t);
    const base = this.listBase(t);
    const end = base + this.postLen[t]!;
    const stride = this.stride;
    const mask = this.tableItems.length - 1;
    for (let i = base; i < end; i++) {
      const v = buf[i]!;
      const code = v & 3;
      if (code === 0) continue;
      const item = v >>> 2;
      if (item > upTo) break;
      let h = Math.imul(item, 0x9e3779b1) >>> this.tableShift;
      let slot = -1;
      for (;;) {
        const key = this.tableItems[h]!;
        if (key === item) {
          slot = this.tableSlots[h]!;
          break;
        }
        if (key < 0) break;
        h = (h + 1) & mask;
      }
      if (slot < 0) slot = this.newCandidate(item, h);
      const at = slot * stride + g;
      const value = termIdf * WEIGHTS[code]!;
      if (value > this.contrib[at]!) this.contrib[at] = value;
    }
  }

  /** Adds `item` as a candidate at free table position `h`. */
  private newCandidate(item: number, h: number): number {
    const slot = this.candCount++;
    // Cannot happen: a query reads at most SCAN_BUDGET live postings (see `search`).
    if (slot === this.candItems.length) throw new Error("TextIndex: internal error (scan budget exceeded)");
    this.tableItems[h] = item;
    this.tableSlots[h] = slot;
    this.candItems[slot] = item;
    this.candPos[slot] = h;
    const at = slot * this.stride;
    for (let g = 0; g < this.stride; g++) this.contrib[at + g] = 0;
    return slot;
  }

  /** Adds the capped lists' contributions to candidates beyond the horizon, by binary search. */
  private probeBeyond(horizon: number, tokens: number[], idfs: number[], terms: number[]): void {
    let budget = PROBE_BUDGET;
    const stride = this.stride;
    const candidates = this.candCount;
    for (let s = 0; s < candidates; s++) {
      const item = this.candItems[s]!;
      if (item <= horizon) continue;
      for (let l = 0; l < tokens.length; l++) {
        const at = s * stride + terms[l]!;
        // Useless when the term already has the most this list could give (title weight).
        if (this.contrib[at]! >= idfs[l]! * WEIGHTS[CODE_TITLE]!) continue;
        if (budget-- === 0) return;
        const t = tokens[l]!;
        const buf = this.listBuffer(t);
        const base = this.listBase(t);
        const len = this.postLen[t]!;
        const p = lowerBound(buf, base, len, item);
        if (p === len) continue;
        const v = buf[base + p]!;
        if (v >>> 2 !== item || (v & 3) === 0) continue;
        const value = idfs[l]! * WEIGHTS[v & 3]!;
        if (value > this.contrib[at]!) this.contrib[at] = value;
      }
    }
  }

  /** The best `k` candidate slots, best first (score descending, then item ascending). */
  private topSlots(k: number): Uint32Array {
    const order = new Uint32Array(k);
    if (k === 0) return order;
    const heap = new Uint32Array(k);
    const scores = this.scores;
    const items = this.candItems;
    // A binary heap whose root is the worst slot kept; `better` is the strict total order of results.
    const better = (a: number, b: number): boolean =>
      scores[a]! > scores[b]! || (scores[a] === scores[b] && items[a]! < items[b]!);
    let size = 0;
    const siftDown = (): void => {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        let worst = i;
        if (left < size && better(heap[worst]!, heap[left]!)) worst = left;
        if (left + 1 < size && better(heap[worst]!, heap[left + 1]!)) worst = left + 1;
        if (worst === i) return;
        const swap = heap[i]!;
        heap[i] = heap[worst]!;
        heap[worst] = swap;
        i = worst;
      }
    };
    const candidates = this.candCount;
    let s = 0;
    for (; s < candidates && size < k; s++) {
      let i = size++;
      heap[i] = s;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!better(heap[parent]!, heap[i]!)) break;
        const swap = heap[i]!;
        heap[i] = heap[parent]!;
        heap[parent] = swap;
        i = parent;
      }
    }
    // The heap is full: a candidate gets in only if it beats the worst kept (most do not).
    let worstScore = scores[heap[0]!]!;
    for (; s < candidates; s++) {
      const score = scores[s]!;
      if (score < worstScore || (score === worstScore && items[s]! > items[heap[0]!]!)) continue;
      heap[0] = s;
      siftDown();
      worstScore = scores[heap[0]!]!;
    }
    // Pop the worst into the back until empty: best first.
    for (let r = k - 1; r >= 0; r--) {
      order[r] = heap[0]!;
      size--;
      if (size > 0) {
        heap[0] = heap[size]!;
        siftDown();
      }
    }
    return order;
  }
}
