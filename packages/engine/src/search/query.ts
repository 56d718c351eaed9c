/**
 * Query evaluation: which indexed items match a query, scored BM25-like, best first.
 *
 * ## Scoring
 *
 * A query is tokenised like item text and de-duplicated into at most `maxQueryTokens` terms (the first ones,
 * plus always the last). An item's score is the sum over the terms it matches of `idf(term) × best field
 * weight`, with `idf(df) = ln(1 + (N − df + 0.5) / (df + 0.5))`, N = indexed items, df = indexed items
 * containing the token. The last term, when it has at least `prefixMinLength` characters, also matches the
 * tokens it is a strict prefix of (see {@link SortedDictionary.completions}), scored with the idf of the prefix
 * as a whole (df = the term's own df plus the completions' dfs, capped at N), and an item counts the best of
 * its exact/completion matches for that term, once.
 *
 * ## Bounded work
 *
 * Why: a query on very common tokens must not read millions of postings. A query reads at most `scanBudget`
 * live postings over all its lists, shared out water-filling style: lists are taken from the shortest, and one
 * is read whole while it fits its fair share of the budget left; the remaining (longer, "capped") lists share
 * the rest equally: each is read only up to a horizon H, the item of the share-th live posting of the densest
 * one, the same H for all of them. Items ≤ H thus get exact scores, and candidates beyond H found by
 * whole-read (rarer) lists get the capped lists' contributions by binary search (at most `probeBudget`
 * searches a query; past it such items keep what was found so far). Items beyond H that match only capped
 * terms are not returned: for very common terms the index favours smaller item indices. So a query costs at
 * most about `scanBudget` posting reads, `probeBudget` binary searches and `maxPrefixScan` dictionary reads,
 * whatever the catalog size. When the whole-read lists already find `limit` items that no item matching only
 * capped lists can beat, the capped lists are looked up for those items instead of read (capped-pruning.ts):
 * same answer, less work. Every step depends only on the live postings (their df and items in order), never
 * on how the lists are stored, so equal logical indexes answer alike.
 */
import { Candidates } from "./candidates.js";
import { CappedPruning, type CappedLists } from "./capped-pruning.js";
import type { PostingLists } from "./posting-lists.js";
import type { SortedDictionary } from "./sorted-dictionary.js";
import { CODE_TITLE, TEXT_INDEX_BOUNDS, WEIGHTS } from "./text-bounds.js";
import { tokenize } from "./tokenize.js";
import type { Vocabulary } from "./vocabulary.js";

const MAX_ITEM = TEXT_INDEX_BOUNDS.maxItem;
const MAX_TOKEN_LENGTH = TEXT_INDEX_BOUNDS.maxTokenLength;
const MAX_QUERY_TOKENS = TEXT_INDEX_BOUNDS.maxQueryTokens;
const PREFIX_MIN_LENGTH = TEXT_INDEX_BOUNDS.prefixMinLength;
const SCAN_BUDGET = TEXT_INDEX_BOUNDS.scanBudget;
const PROBE_BUDGET = TEXT_INDEX_BOUNDS.probeBudget;

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

/** What a query reads: the index's parts and its item count N. */
export interface QueryTarget {
  readonly vocab: Vocabulary;
  readonly dictionary: SortedDictionary;
  readonly lists: PostingLists;
  readonly items: number;
}

/** Evaluates queries, reusing one candidate scratch. */
export class QueryEvaluator {
  private readonly candidates = new Candidates();
  private readonly pruning = new CappedPruning();

  /** The best `limit` (≥ 1) matches of `query`, best first (ties: smaller item); none for an empty query. */
  evaluate(target: QueryTarget, query: string, limit: number): { items: Uint32Array; scores: Float64Array } {
    const none = { items: new Uint32Array(0), scores: new Float64Array(0) };
    const terms = queryTerms(query);
    if (terms.length === 0) return none;
    const { vocab, dictionary, lists } = target;
    const n = target.items;

    // The lists to read: token, idf part of its contribution, term index.
    const listToken: number[] = [];
    const listIdf: number[] = [];
    const listTerm: number[] = [];
    const last = terms.length - 1;
    for (let g = 0; g <= last; g++) {
      const term = terms[g]!;
      const id = vocab.find(term);
      const df = id < 0 ? 0 : lists.df(id);
      if (df > 0) {
        listToken.push(id);
        listIdf.push(idf(n, df));
        listTerm.push(g);
      }
      if (g === last && term.length >= PREFIX_MIN_LENGTH) {
        const completions = dictionary.completions(term, id, lists.liveCounts);
        let prefixDf = df;
        for (const c of completions) prefixDf += lists.df(c);
        const prefixIdf = idf(n, Math.min(n, prefixDf));
        for (const c of completions) {
          listToken.push(c);
          listIdf.push(prefixIdf);
          listTerm.push(g);
        }
      }
    }
    const count = listToken.length;
    if (count === 0) return none;

    // Share the scan budget: shortest lists first, whole while they fit their share of what is left.
    const order = Array.from(listToken, (_, l) => l).sort(
      (a, b) => lists.df(listToken[a]!) - lists.df(listToken[b]!) || a - b,
    );
    let remaining = SCAN_BUDGET;
    let firstCapped = count;
    let horizon = MAX_ITEM;
    for (let r = 0; r < count; r++) {
      const df = lists.df(listToken[order[r]!]!);
      const share = Math.floor(remaining / (count - r));
      if (df <= share) {
        remaining -= df;
        continue;
      }
      firstCapped = r;
      for (let c = r; c < count; c++) {
        horizon = Math.min(horizon, lists.liveItemAt(listToken[order[c]!]!, Math.max(1, share) - 1));
      }
      break;
    }

    const candidates = this.candidates;
    candidates.prepare(terms.length);
    try {
      for (let r = 0; r < firstCapped; r++) {
        const l = order[r]!;
        candidates.startList();
        lists.scan(listToken[l]!, listIdf[l]!, listTerm[l]!, MAX_ITEM, candidates);
      }
      if (firstCapped < count) {
        const cappedOrder = order.slice(firstCapped);
        const capped: CappedLists = {
          tokens: cappedOrder.map((l) => listToken[l]!),
          idfs: cappedOrder.map((l) => listIdf[l]!),
          terms: cappedOrder.map((l) => listTerm[l]!),
        };
        if (!this.pruning.apply(lists, candidates, capped, horizon, limit)) {
          for (let c = 0; c < capped.tokens.length; c++) {
            candidates.startList();
            lists.scan(capped.tokens[c]!, capped.idfs[c]!, capped.terms[c]!, horizon, candidates);
          }
          this.probeBeyond(lists, horizon, capped);
        }
      }
      return candidates.best(limit);
    } finally {
      candidates.clear();
    }
  }

  /** Adds the capped lists' contributions to candidates beyond the horizon, by binary search. */
  private probeBeyond(lists: PostingLists, horizon: number, capped: CappedLists): void {
    const { tokens, idfs, terms } = capped;
    const candidates = this.candidates;
    const contrib = candidates.contrib;
    let budget = PROBE_BUDGET;
    const stride = candidates.stride;
    const count = candidates.count;
    for (let s = 0; s < count; s++) {
      const item = candidates.item(s);
      if (item <= horizon) continue;
      for (let l = 0; l < tokens.length; l++) {
        const at = s * stride + terms[l]!;
        // Useless when the term already has the most this list could give (title weight).
        if (contrib[at]! >= idfs[l]! * WEIGHTS[CODE_TITLE]!) continue;
        if (budget-- === 0) return;
        const code = lists.codeOf(tokens[l]!, item);
        if (code === 0) continue;
        const value = idfs[l]! * WEIGHTS[code]!;
        if (value > contrib[at]!) contrib[at] = value;
      }
    }
  }
}
