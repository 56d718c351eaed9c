/** The accuracy metrics of one recommendation list, each in [0, 1]. */
export interface ListScore {
  /** 1 when at least one relevant item is in the top K (hit rate, HR@K). */
  hit: number;
  /** Relevant items in the top K, over K: a list shorter than K is not let off. */
  precision: number;
  /** Relevant items in the top K, over all relevant items. */
  recall: number;
  /** DCG of the top K with binary relevance, over the DCG of the ideal list (all relevant items first). */
  ndcg: number;
  /** 1 / rank of the first relevant item in the top K, 0 when there is none (MRR@K once averaged). */
  reciprocalRank: number;
}

export const ACCURACY_KEYS = ["hit", "precision", "recall", "ndcg", "reciprocalRank"] as const;

/** Scores the first `k` entries of `list` against the relevant items (binary relevance). */
export function scoreList(list: readonly string[], relevant: ReadonlySet<string>, k: number): ListScore {
  if (relevant.size === 0 || k <= 0) return { hit: 0, precision: 0, recall: 0, ndcg: 0, reciprocalRank: 0 };
  let hits = 0;
  let dcg = 0;
  let reciprocalRank = 0;
  const seen = new Set<string>();
  const depth = Math.min(k, list.length);
  for (let rank = 0; rank < depth; rank++) {
    const item = list[rank]!;
    // A list that repeats an item gets credit for it once.
    if (seen.has(item)) continue;
    seen.add(item);
    if (!relevant.has(item)) continue;
    hits++;
    dcg += 1 / Math.log2(rank + 2);
    if (reciprocalRank === 0) reciprocalRank = 1 / (rank + 1);
  }
  return {
    hit: hits > 0 ? 1 : 0,
    precision: hits / k,
    recall: hits / relevant.size,
    ndcg: dcg / idealDcg(Math.min(k, relevant.size)),
    reciprocalRank,
  };
}

const idealCache: number[] = [0];

function idealDcg(relevantInTop: number): number {
  for (let n = idealCache.length; n <= relevantInTop; n++)
    idealCache.push(idealCache[n - 1]! + 1 / Math.log2(n + 1));
  return idealCache[relevantInTop]!;
}

/**
 * Self-information of recommending an item, in bits: −log2 of the share of all interactions that named it
 * (add-one smoothed, so an item nobody touched yet is finite). Popular items say little; a higher mean means
 * the recommendations reach further into the long tail.
 */
export function selfInformation(itemInteractions: number, allInteractions: number): number {
  return Math.log2((allInteractions + 1) / (itemInteractions + 1));
}
