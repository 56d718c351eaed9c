/**
 * Max-score pruning of the capped lists of a query (see query.ts for the scan budget, the horizon H and the
 * capped lists).
 *
 * Why: a query that mixes a rarer term with a very common one ("item 12") spends most of its scan budget
 * reading the common term's capped list up to H and scoring every item found there, yet a common term has a
 * low idf: an item matching only capped lists often cannot score as much as the items the whole-read lists
 * found. When at least `limit` of those already score more than the most any item matching only capped lists
 * could, the capped lists are not read: their contributions are looked up (binary search) for the candidates
 * that can still make the result, and nothing else.
 *
 * The answer is the one the full read gives, scores bit-equal, because:
 *
 * - contributions only grow and an item's score is summed in term order, and floating-point addition is
 *   monotonic, so the `limit`-th best score of the candidates before the capped lists (θ) is at most the
 *   `limit`-th best final score, and an item's final score is at most the sum, in term order, of the larger of
 *   each term's contribution so far and the most the capped lists could give it (idf × title weight);
 * - an item found only by capped lists scores at most the sum of those most-they-could-give, below θ, so at
 *   least `limit` candidates beat it strictly: it is never returned, and neither is a candidate whose bound is
 *   below θ, whose contributions are therefore left as they are;
 * - the others get exactly what the full read gives them: items ≤ H every capped list's code, items beyond H
 *   the same probes in the same order against the same probe budget. A hopeless item beyond H still spends
 *   the probes it would have spent, so later items get theirs as before; when a term has several capped lists
 *   (prefix completions) a probe's outcome changes whether the next is spent, so such items are probed anyway.
 */
import type { Candidates } from "./candidates.js";
import type { PostingLists } from "./posting-lists.js";
import { CODE_TITLE, TEXT_INDEX_BOUNDS, WEIGHTS } from "./text-bounds.js";

const MAX_QUERY_TOKENS = TEXT_INDEX_BOUNDS.maxQueryTokens;
const PROBE_BUDGET = TEXT_INDEX_BOUNDS.probeBudget;

/** The capped lists of a query, in reading order: token, idf part of its contribution, term index. */
export interface CappedLists {
  readonly tokens: readonly number[];
  readonly idfs: readonly number[];
  readonly terms: readonly number[];
}

export class CappedPruning {
  /** Per term: the most its capped lists can give an item. */
  private readonly most = new Float64Array(MAX_QUERY_TOKENS);
  /** Per term: how many capped lists it has. */
  private readonly lists = new Uint8Array(MAX_QUERY_TOKENS);
  /** The best `limit` candidates whose scores are final, worst at the root: score and item. */
  private heapScores = new Float64Array(0);
  private heapItems = new Uint32Array(0);
  private heapSize = 0;
  private limit = 0;

  /**
   * Completes the candidates' scores with the capped lists' contributions when pruning is sound (see the
   * module comment) and returns true; returns false, having changed nothing, when the capped lists must be
   * read up to `horizon` as usual.
   */
  apply(
    lists: PostingLists,
    candidates: Candidates,
    capped: CappedLists,
    horizon: number,
    limit: number,
  ): boolean {
    const stride = candidates.stride;
    const count = candidates.count;
    if (count < limit) return false;
    const most = this.most;
    const perTerm = this.lists;
    most.fill(0, 0, stride);
    perTerm.fill(0, 0, stride);
    let shared = false;
    for (let l = 0; l < capped.tokens.length; l++) {
      const g = capped.terms[l]!;
      most[g] = Math.max(most[g]!, capped.idfs[l]! * WEIGHTS[CODE_TITLE]!);
      if (++perTerm[g]! > 1) shared = true;
    }
    let outside = 0;
    for (let g = 0; g < stride; g++) outside += most[g]!;
    const theta = candidates.kthScore(limit);
    if (!(theta > outside)) return false;

    const contrib = candidates.contrib;
    const { tokens, idfs, terms } = capped;
    this.startHeap(limit);
    let budget = PROBE_BUDGET;
    for (let s = 0; s < count; s++) {
      const item = candidates.item(s);
      const base = s * stride;
      let bound = 0;
      for (let g = 0; g < stride; g++) bound += Math.max(contrib[base + g]!, most[g]!);
      // Hopeless: `limit` candidates surely rank before it, by the static θ or by final scores seen so far.
      const hopeless = bound < theta || this.beaten(bound, item);
      if (item <= horizon) {
        if (hopeless) continue;
        for (let l = 0; l < tokens.length; l++) {
          const code = lists.codeOf(tokens[l]!, item);
          const value = idfs[l]! * WEIGHTS[code]!;
          if (value > contrib[base + terms[l]!]!) contrib[base + terms[l]!] = value;
        }
        this.offer(contrib, base, stride, item);
        continue;
      }
      if (budget < 0) {
        // Out of probe budget: its score is final as it stands.
        if (!hopeless) this.offer(contrib, base, stride, item);
        continue;
      }
      // Beyond H: the probes of the full read (query.ts, probeBeyond), spent even when they cannot matter.
      let probed = true;
      for (let l = 0; l < tokens.length; l++) {
        const at = base + terms[l]!;
        if (contrib[at]! >= idfs[l]! * WEIGHTS[CODE_TITLE]!) continue;
        if (budget-- === 0) break;
        if (hopeless && !shared) {
          probed = false;
          continue;
        }
        const code = lists.codeOf(tokens[l]!, item);
        if (code === 0) continue;
        const value = idfs[l]! * WEIGHTS[code]!;
        if (value > contrib[at]!) contrib[at] = value;
      }
      if (probed) this.offer(contrib, base, stride, item);
    }
    return true;
  }

  private startHeap(limit: number): void {
    if (this.heapScores.length < limit) {
      this.heapScores = new Float64Array(limit);
      this.heapItems = new Uint32Array(limit);
    }
    this.heapSize = 0;
    this.limit = limit;
  }

  /** Whether `limit` final scores rank strictly before (score, item): score descending, then item ascending. */
  private beaten(score: number, item: number): boolean {
    if (this.heapSize < this.limit) return false;
    const worst = this.heapScores[0]!;
    return worst > score || (worst === score && this.heapItems[0]! < item);
  }

  /** Keeps a candidate's final score (summed in term order, as `Candidates.best` does) if among the best. */
  private offer(contrib: Float64Array, base: number, stride: number, item: number): void {
    let score = 0;
    for (let g = 0; g < stride; g++) score += contrib[base + g]!;
    const scores = this.heapScores;
    const items = this.heapItems;
    const k = this.limit;
    if (this.heapSize < k) {
      let i = this.heapSize++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!ranksBefore(scores[parent]!, items[parent]!, score, item)) break;
        scores[i] = scores[parent]!;
        items[i] = items[parent]!;
        i = parent;
      }
      scores[i] = score;
      items[i] = item;
      return;
    }
    if (!ranksBefore(score, item, scores[0]!, items[0]!)) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= k) break;
      const right = left + 1;
      const child =
        right < k && ranksBefore(scores[left]!, items[left]!, scores[right]!, items[right]!) ? right : left;
      if (!ranksBefore(score, item, scores[child]!, items[child]!)) break;
      scores[i] = scores[child]!;
      items[i] = items[child]!;
      i = child;
    }
    scores[i] = score;
    items[i] = item;
  }
}

/** The order of results: (score a, item a) ranks strictly before (score b, item b). */
function ranksBefore(scoreA: number, itemA: number, scoreB: number, itemB: number): boolean {
  return scoreA > scoreB || (scoreA === scoreB && itemA < itemB);
}
