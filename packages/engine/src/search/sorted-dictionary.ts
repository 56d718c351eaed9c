/**
 * The vocabulary in token order, for prefix lookups ("runn" → running, runner) in search as you type.
 *
 * Why this layout: token ids in code-unit order of their tokens in one Uint32Array, so the tokens a prefix
 * starts are one contiguous range found by binary search, with no tree and no object per token. Keeping the
 * array sorted on every new token would move half of it each time, so fewer than `pendingTokens` newer ids wait
 * aside (scanned linearly by lookups) and are merged in together: binary-searched positions, block moves.
 *
 * Tokens are never removed and every new token goes through {@link add}, so the pending ids are always the
 * newest `count mod pendingTokens` ones, in id order, and the sorted part is every older id: the whole
 * dictionary is a function of the vocabulary, which is why a snapshot does not store it ({@link restore}).
 */
import { TEXT_INDEX_BOUNDS } from "./text-bounds.js";
import { grownU32 } from "./typed-growth.js";
import type { Vocabulary } from "./vocabulary.js";

const MAX_PREFIX_TERMS = TEXT_INDEX_BOUNDS.maxPrefixTerms;
const MAX_PREFIX_SCAN = TEXT_INDEX_BOUNDS.maxPrefixScan;
const PENDING_TOKENS = TEXT_INDEX_BOUNDS.pendingTokens;
const MAX_TOKEN_LENGTH = TEXT_INDEX_BOUNDS.maxTokenLength;

export class SortedDictionary {
  private ids = new Uint32Array(0);
  private length = 0;
  private readonly pending: number[] = [];

  constructor(private readonly vocab: Vocabulary) {}

  /** Adds the vocabulary's newest token, `id`. */
  add(id: number): void {
    this.pending.push(id);
    if (this.pending.length >= PENDING_TOKENS) this.mergePending();
  }

  /** Merges the pending tokens into the sorted ids: binary-searched positions, block moves. */
  private mergePending(): void {
    const vocab = this.vocab;
    const pending = this.pending;
    pending.sort((a, b) => vocab.compare(a, b));
    this.ids = grownU32(this.ids, this.length + pending.length);
    const ids = this.ids;
    let end = this.length + pending.length;
    let hi = this.length;
    for (let j = pending.length - 1; j >= 0; j--) {
      const id = pending[j]!;
      let lo = 0;
      let h = hi;
      while (lo < h) {
        const mid = (lo + h) >>> 1;
        if (vocab.compare(ids[mid]!, id) < 0) lo = mid + 1;
        else h = mid;
      }
      ids.copyWithin(end - (hi - lo), lo, hi);
      end -= hi - lo;
      ids[--end] = id;
      hi = lo;
    }
    this.length += pending.length;
    pending.length = 0;
  }

  /**
   * Tokens that `prefix` is a strict prefix of with `live[id] > 0`, other than `exact`: the best
   * `maxPrefixTerms` by live count (ties: smaller token) among the first `maxPrefixScan` of the prefix's range
   * of the sorted ids plus the pending ones. The order tokens are considered in does not change the result
   * (the ranking is a strict total order).
   */
  completions(prefix: string, exact: number, live: Uint32Array): number[] {
    const vocab = this.vocab;
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
    const ids = this.ids;
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (vocab.compareWith(ids[mid]!, prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    // The tokens starting with `prefix` are the contiguous range [lo, hi) of the sorted ids.
    let from = lo;
    hi = this.length;
    while (from < hi) {
      const mid = (from + hi) >>> 1;
      if (vocab.startsWith(ids[mid]!, prefix)) from = mid + 1;
      else hi = mid;
    }
    const end = Math.min(hi, lo + MAX_PREFIX_SCAN);
    for (let i = lo; i < end; i++) consider(ids[i]!);
    for (const id of this.pending) if (vocab.startsWith(id, prefix)) consider(id);
    return best;
  }

  /**
   * The dictionary that adding every token of `vocab` one by one builds (see the module comment): the oldest
   * `count − count mod pendingTokens` ids sorted, the rest pending. The vocabulary's tokens must be distinct.
   */
  static restore(vocab: Vocabulary): SortedDictionary {
    const dictionary = new SortedDictionary(vocab);
    const sorted = vocab.count - (vocab.count % PENDING_TOKENS);
    const ids = new Uint32Array(sorted);
    for (let id = 0; id < sorted; id++) ids[id] = id;
    new TokenSorter(vocab, sorted).sort(ids, 0, sorted, 0);
    dictionary.ids = ids;
    dictionary.length = sorted;
    for (let id = sorted; id < vocab.count; id++) dictionary.pending.push(id);
    return dictionary;
  }
}

/** Below this many ids, {@link TokenSorter} compares whole tokens. */
const SMALL_SORT = 16;
/** Ids fit 24 bits; a sort key holds 29 more bits of code units (a float is exact below 2^53). */
const ID_SPACE = 2 ** 24;
const KEY_BITS = 29;

/**
 * Sorts token ids in token order without a comparator call per comparison, MSD radix style: each code unit is
 * replaced by its rank among the units the vocabulary uses (0 = past the token's end), as many ranks as fit 29
 * bits are packed into a key, ids are sorted numerically by key × 2^24 + id, and each run of equal keys
 * (tokens sharing those units) is sorted the same way from the next units. A typical vocabulary uses a few
 * dozen units, so one key holds five or so and a single numeric sort does most of the work.
 */
class TokenSorter {
  /** Rank + 1 of each code unit used (0 = unused). */
  private readonly ranks = new Uint32Array(0x10000);
  private readonly bits: number;
  private readonly unitsPerKey: number;
  private readonly keys: Float64Array;

  constructor(
    private readonly vocab: Vocabulary,
    count: number,
  ) {
    const ranks = this.ranks;
    for (let id = 0; id < count; id++) {
      for (let i = 0, unit = vocab.codeUnit(id, 0); unit >= 0; unit = vocab.codeUnit(id, ++i))
        ranks[unit] = 1;
    }
    let used = 0;
    for (let unit = 0; unit < ranks.length; unit++) if (ranks[unit] === 1) ranks[unit] = ++used;
    this.bits = Math.max(1, Math.ceil(Math.log2(used + 1)));
    this.unitsPerKey = Math.max(1, Math.floor(KEY_BITS / this.bits));
    this.keys = new Float64Array(count);
  }

  /** Sorts `ids[from, to)`, distinct tokens sharing their first `depth` code units. */
  sort(ids: Uint32Array, from: number, to: number, depth: number): void {
    const vocab = this.vocab;
    if (to - from <= SMALL_SORT) {
      ids.subarray(from, to).sort((a, b) => vocab.compare(a, b));
      return;
    }
    const keys = this.keys;
    const scale = 2 ** this.bits;
    for (let i = from; i < to; i++) {
      const id = ids[i]!;
      let key = 0;
      for (let u = 0; u < this.unitsPerKey; u++) {
        const unit = vocab.codeUnit(id, depth + u);
        key = key * scale + (unit < 0 ? 0 : this.ranks[unit]!);
      }
      keys[i] = key * ID_SPACE + id;
    }
    keys.subarray(from, to).sort();
    for (let i = from; i < to; i++) ids[i] = keys[i]! % ID_SPACE;
    for (let i = from; i < to; ) {
      const key = Math.floor(keys[i]! / ID_SPACE);
      let j = i + 1;
      while (j < to && Math.floor(keys[j]! / ID_SPACE) === key) j++;
      // Equal keys: the same units, none past an end (distinct tokens cannot both end there); the depth
      // bound only stops a vocabulary with repeated tokens, which `Vocabulary.readState` rejects.
      if (j - i > 1 && depth < MAX_TOKEN_LENGTH) this.sort(ids, i, j, depth + this.unitsPerKey);
      i = j;
    }
  }
}
