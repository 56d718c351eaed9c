/**
 * The fixed bounds and field weights of the text index, in one place so that every part of it (vocabulary,
 * posting lists, forward index, query evaluation) agrees on them. They are constants rather than options: the
 * snapshot format and the packed layouts (item × 4 + code in 32 bits, token ids in 24 bits) depend on them.
 */

/** The fixed bounds of the index, explained in the text-index module comment. */
export const TEXT_INDEX_BOUNDS = Object.freeze({
  /** Largest item index (items are integers in [0, maxItem]; item × 4 + code must fit 32 bits). */
  maxItem: 2 ** 30 - 1,
  /** Distinct tokens over all items (ids fit 24 bits of the vocabulary table). */
  maxTokens: 2 ** 24 - 1,
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
  /** New tokens kept aside (scanned linearly by prefix lookups) until this many are merged into the dictionary. */
  pendingTokens: 512,
  /** Live postings read per query, over all its lists. */
  scanBudget: 8192,
  /** Binary searches per query for candidates beyond the horizon. */
  probeBudget: 2048,
  /** Longest posting list kept in the slab (4 bytes a posting); longer ones take 2 bytes a posting. */
  slabMax: 4096,
});

/** Weight codes (low 2 bits of a posting; 0 = tombstone) and their field weights. */
export const CODE_CATEGORY = 1;
export const CODE_BRAND_OR_TAG = 2;
export const CODE_TITLE = 3;
export const WEIGHTS = new Float64Array([0, 1, 1.5, 2]);

/** Greater than every token id (merge sentinel). */
export const NO_TOKEN = 2 ** 30;
