/**
 * The text index behind the `search` strategy: which items match a query in their title, brand, tags and
 * categories, scored BM25-like, best first (see query.ts for the scoring and its bounded work). The engine
 * personalises the result afterwards. This module is the facade: it tokenises item text, keeps which items are
 * indexed, and keeps its parts in step:
 *
 * - {@link Vocabulary} (vocabulary.ts): tokens ↔ dense ids;
 * - {@link SortedDictionary} (sorted-dictionary.ts): ids in token order, for prefix completions;
 * - {@link PostingLists} (posting-lists.ts, over posting-slab.ts and long-list.ts): per token, its items;
 * - {@link ForwardIndex} (forward-index.ts): per item, its tokens, to remove or re-index it;
 * - {@link QueryEvaluator} (query.ts, with candidates.ts): answering queries.
 *
 * Text is tokenised by {@link tokenize}. Each (item, token) pair keeps the best weight of the fields it appears
 * in: title 2, brand 1.5, tags 1.5, categories 1 (a category path "A > B" yields the tokens of every level).
 * No object is kept per item, per token, per posting or per short list.
 *
 * Memory: about 4 bytes a posting in short lists and 2 in long ones, ~2 bytes a posting of forward index, ~25
 * bytes + 2 a character per distinct token, 7 bytes an item, plus ≤ 25% growth slack. Measured on 1M items:
 * ~70 MB with ~10 tokens an item (8.9 distinct, 277k distinct tokens, Zipf-distributed); ~76 MB with 10 distinct
 * tokens an item over 106k tokens; ~90 MB with 11 distinct tokens an item over 206k mid-frequency tokens (a
 * worst case: few postings in long lists). Speed (same machine, 1M items): typical queries ~30 µs, ~150–300 µs
 * when every list is very common (the scan budget is reached); a rare term with a very common one is pruned to
 * about the rare term's cost (~40 µs for "item 12" over 25k items, was ~180 µs); (re)indexing ~6 µs an item;
 * `writeState` ~100 ms.
 *
 * Determinism and snapshots: queries never modify the index, and same calls in the same order ⇒ same ids,
 * layout, results and `writeState` bytes. `writeState` writes the logical state only (items present,
 * vocabulary by id, each token's live postings as item × 4 + code), not the layout, because nothing a caller
 * can observe depends on the layout: queries read live postings in item order whatever their storage, the
 * sorted dictionary is a function of the vocabulary, and the forward index one of the posting lists.
 * `readState` rebuilds all three from the logical state, so a restored index answers every later call exactly
 * as the original would, and writes the same bytes.
 */
import { SnapshotFormatError, type StateReader } from "../state/state-reader.js";
import type { StateWriter } from "../state/state-writer.js";
import { ForwardIndex } from "./forward-index.js";
import { PostingLists } from "./posting-lists.js";
import { readPostings, writePostings } from "./posting-state.js";
import { QueryEvaluator } from "./query.js";
import { SortedDictionary } from "./sorted-dictionary.js";
import { CODE_BRAND_OR_TAG, CODE_CATEGORY, CODE_TITLE, NO_TOKEN, TEXT_INDEX_BOUNDS } from "./text-bounds.js";
import { tokenize } from "./tokenize.js";
import { grownU8 } from "./typed-growth.js";
import { Vocabulary } from "./vocabulary.js";

export { TEXT_INDEX_BOUNDS } from "./text-bounds.js";

/** The text of an item, as the catalog knows it. */
export interface TextFields {
  title?: string;
  tags?: readonly string[];
  brand?: string;
  categories?: readonly string[];
}

const MAX_ITEM = TEXT_INDEX_BOUNDS.maxItem;
const MAX_TOKENS_PER_ITEM = TEXT_INDEX_BOUNDS.maxTokensPerItem;
const MAX_TOKEN_LENGTH = TEXT_INDEX_BOUNDS.maxTokenLength;
const SECTION = "search.text-index";

export class TextIndex {
  private vocab = new Vocabulary();
  private dictionary = new SortedDictionary(this.vocab);
  private lists = new PostingLists();
  private forward = new ForwardIndex();
  /** Per item: 1 when indexed. */
  private present = new Uint8Array(0);
  private count = 0;
  private readonly queries = new QueryEvaluator();

  // Write scratch.
  private rawCount = 0;
  private readonly newPacked = new Uint32Array(MAX_TOKENS_PER_ITEM);
  private readonly oldIds = new Uint32Array(MAX_TOKENS_PER_ITEM);

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
    if (this.present.length <= item) {
      this.present = grownU8(this.present, item + 1);
      this.forward.ensureCapacity(this.present.length);
    }
    const packed = this.newPacked;
    const n = this.collect(fields);
    const oldIds = this.oldIds;
    const m = this.forward.read(item, oldIds);

    // Merge the sorted old token ids with the sorted new (id, code) pairs.
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      const newId = i < n ? packed[i]! >>> 2 : NO_TOKEN;
      const oldId = j < m ? oldIds[j]! : NO_TOKEN;
      if (oldId < newId) {
        this.lists.remove(oldId, item);
        j++;
      } else if (newId < oldId) {
        this.lists.insert(newId, item, packed[i]! & 3);
        i++;
      } else {
        this.lists.update(newId, item, packed[i]! & 3);
        i++;
        j++;
      }
    }
    this.forward.write(item, packed, n);
    if (this.present[item] === 0) {
      this.present[item] = 1;
      this.count++;
    }
    this.maybeCompact();
  }

  /** Removes `item` from the index (no-op when it is not indexed). */
  remove(item: number): void {
    if (!this.has(item)) return;
    const m = this.forward.read(item, this.oldIds);
    for (let j = 0; j < m; j++) this.lists.remove(this.oldIds[j]!, item);
    this.forward.clear(item);
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
    const target = { vocab: this.vocab, dictionary: this.dictionary, lists: this.lists, items: this.count };
    const { items, scores } = this.queries.evaluate(target, query, wanted);
    for (let r = 0; r < items.length; r++) visit(items[r]!, scores[r]!);
  }

  /** Writes the logical state: items present, vocabulary (by id), live postings of every token. */
  writeState(out: StateWriter): void {
    out.section(SECTION);
    out.u32(this.count);
    let hi = this.present.length;
    while (hi > 0 && this.present[hi - 1] === 0) hi--;
    out.u32(hi);
    out.array(this.present.subarray(0, hi));
    this.vocab.writeState(out);
    writePostings(this.lists, this.vocab.count, out);
  }

  /**
   * Replaces the whole index with what {@link writeState} wrote, after which it answers every call exactly as
   * the writer would and writes the same bytes. The dictionary and the forward index are rebuilt from the
   * logical state (see the module comment), with typed arrays only. Throws SnapshotFormatError, leaving this
   * index unchanged, when the data is not what `writeState` writes: another section, truncated, present flags
   * that are not 0/1, end in 0 or disagree with the count, tokens that are empty, too long or repeated, or
   * postings of items not indexed, out of order or with an invalid code.
   */
  readState(input: StateReader): void {
    input.section(SECTION);
    const count = input.u32();
    const hi = input.u32();
    const present = input.array(Uint8Array);
    if (present.length !== hi || hi > MAX_ITEM + 1) {
      throw new SnapshotFormatError(`TextIndex: ${present.length} present flags for ${hi} items`);
    }
    let indexed = 0;
    for (let item = 0; item < hi; item++) {
      const flag = present[item]!;
      if (flag > 1) throw new SnapshotFormatError(`TextIndex: item ${item} has present flag ${flag}`);
      indexed += flag;
    }
    if (hi > 0 && present[hi - 1] !== 1) {
      throw new SnapshotFormatError(`TextIndex: the present flags end with an item not indexed (${hi - 1})`);
    }
    if (indexed !== count) {
      throw new SnapshotFormatError(`TextIndex: ${count} items indexed, but ${indexed} present flags set`);
    }
    const vocab = Vocabulary.readState(input);
    const lists = readPostings(input, vocab.count, present);
    const forward = ForwardIndex.rebuild(lists, vocab.count, present.length);
    const dictionary = SortedDictionary.restore(vocab);
    this.vocab = vocab;
    this.dictionary = dictionary;
    this.lists = lists;
    this.forward = forward;
    this.present = present as Uint8Array<ArrayBuffer>;
    this.count = count;
  }

  /** Tokenises the fields into `newPacked` (token id × 4 + best code, sorted by id); returns how many. */
  private collect(fields: TextFields): number {
    this.rawCount = 0;
    this.addText(fields.title, CODE_TITLE);
    this.addText(fields.brand, CODE_BRAND_OR_TAG);
    if (Array.isArray(fields.tags)) for (const tag of fields.tags) this.addText(tag, CODE_BRAND_OR_TAG);
    if (Array.isArray(fields.categories))
      for (const path of fields.categories) this.addText(path, CODE_CATEGORY);
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

  /** Adds the tokens of `text` (ignored unless a string: catalog data may hold nulls) with weight `code`. */
  private addText(text: unknown, code: number): void {
    if (typeof text !== "string") return;
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
    this.lists.addTokens(id + 1);
    this.dictionary.add(id);
    return id;
  }

  private maybeCompact(): void {
    this.lists.maybeCompact();
    this.forward.maybeCompact();
  }
}
