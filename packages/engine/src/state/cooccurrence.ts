import type { InteractionKind } from "@sibyl/events";
import type { Normalisation } from "../options.js";
import { KIND } from "./interaction-kinds.js";
import { NeighbourTable } from "./neighbour-table.js";
import type { RingStore } from "./ring-store.js";
import { SnapshotFormatError, type StateReader } from "./state-reader.js";
import type { StateWriter } from "./state-writer.js";

interface TrackedPair {
  key: string;
  from: number;
  table: NeighbourTable;
}

/** Interactions between the two of a pair that halve its weight. */
const GAP_HALF_LIFE = 2;

/** Key of the same-transaction co-purchase table (frequently bought together). */
export const BASKET = "basket";

/**
 * Item–item co-occurrence per pair of interaction kinds: "A on item i, then B on item j by the same visitor within
 * the window" adds to (i → j) — 1 when j came right after i, less the more interactions lie between them; for a
 * pair of one kind (view, view) both directions count, so a product page sees what was viewed before and after
 * it. Each item keeps a bounded set of neighbours (Space-Saving). A neighbour is scored by its weight (`count`),
 * or by how much more often the pair occurs than the two items' own frequencies predict (`llr`, `cosine`).
 */
export class Cooccurrence {
  private readonly pairs = new Map<string, TrackedPair>();
  /** Tracked pairs by the kind of their second interaction, for one pass over the history per event. */
  private readonly byTo: TrackedPair[][] = [];
  readonly basket: NeighbourTable;
  private readonly scratch: { items: Int32Array; kinds: Uint8Array; times: Uint32Array };
  /** Weight of a pair by how many of the visitor's interactions lie between its two: 1, 0.71, 0.5 … */
  private readonly gapWeights: Float64Array;

  constructor(
    private readonly neighbours: number,
    private readonly windowMs: number,
    private readonly lookback: number,
    private readonly normalisation: Normalisation,
    initialPairs: readonly (readonly [InteractionKind, InteractionKind])[],
  ) {
    this.basket = new NeighbourTable(neighbours);
    this.scratch = {
      items: new Int32Array(lookback),
      kinds: new Uint8Array(lookback),
      times: new Uint32Array(lookback),
    };
    // Adjacent interactions are the most related (the next page after this one); each one between halves the
    // weight every two steps, so a lookback of 5 still pairs with the fifth-latest item, at a quarter weight.
    this.gapWeights = Float64Array.from({ length: lookback }, (_, gap) => 2 ** (-gap / GAP_HALF_LIFE));
    for (const [from, to] of initialPairs) this.track(from, to);
  }

  /** Starts counting a pair of kinds (from now on: counts are not rebuilt from the past). */
  track(from: InteractionKind, to: InteractionKind): void {
    const key = pairKey(from, to);
    if (this.pairs.has(key)) return;
    const pair: TrackedPair = { key, from: KIND[from], table: new NeighbourTable(this.neighbours) };
    this.pairs.set(key, pair);
    const sameTo = this.byTo[KIND[to]] ?? [];
    sameTo.push(pair);
    this.byTo[KIND[to]] = sameTo;
  }

  isTracked(from: InteractionKind, to: InteractionKind): boolean {
    return this.pairs.has(pairKey(from, to));
  }

  trackedPairs(): string[] {
    return [...this.pairs.keys()];
  }

  /** Pairs the new interaction with the visitor's recent ones; call before it enters the history. */
  observe(history: RingStore, profile: number, item: number, kind: number, timeMs: number): void {
    const pairs = this.byTo[kind];
    if (!pairs) return;
    const oldest = Math.floor((timeMs - this.windowMs) / 1000);
    const { items, kinds, times } = this.scratch;
    const count = history.copyNewest(profile, this.lookback, items, kinds, times);
    for (let n = 0; n < count; n++) {
      if (times[n]! < oldest) break;
      const earlier = items[n]!;
      const earlierKind = kinds[n]!;
      if (earlier === item || seenBefore(items, kinds, n, earlier, earlierKind)) continue;
      const weight = this.gapWeights[n]!;
      for (const pair of pairs) {
        if (pair.from !== earlierKind) continue;
        pair.table.add(earlier, item, weight);
        if (pair.from === kind) pair.table.add(item, earlier, weight);
      }
    }
  }

  /** Counts every pair of distinct items bought in one transaction. */
  observeBasket(items: readonly number[]): void {
    for (const a of items) for (const b of items) if (a !== b) this.basket.add(a, b);
  }

  /** Undoes the pairs one refunded item formed with the rest of its order. */
  forgetBasketItem(item: number, others: readonly number[]): void {
    for (const other of others) {
      if (other === item) continue;
      this.basket.subtract(item, other);
      this.basket.subtract(other, item);
    }
  }

  /** The neighbour table of a pair of kinds (or the basket), if tracked. */
  table(from: InteractionKind, to: InteractionKind, sameTransaction: boolean): NeighbourTable | undefined {
    return sameTransaction ? this.basket : this.pairs.get(pairKey(from, to))?.table;
  }

  /**
   * Visits the neighbours of `item` in a table with their normalised scores (0 for a negative association). In a
   * full row each weight is first lowered by the row's possible overestimate, so the weakest neighbour drops out.
   */
  forEachNeighbour(
    table: NeighbourTable,
    item: number,
    visit: (neighbour: number, score: number) => void,
  ): void {
    const row = table.rowTotal(item);
    if (row <= 0) return;
    const total = table.total;
    const normalisation = this.normalisation;
    // The LLR terms that depend only on the row are computed once per item, not once per neighbour.
    const rowTerms = xLogX(total) - xLogX(row) - xLogX(total - row);
    // Score what a pair is known to have, not what Space-Saving may have handed it from an evicted neighbour:
    // inherited weight made rare items that just entered a popular item's row look as strong as real neighbours.
    const overestimate = table.overestimate(item);
    table.forEach(item, (neighbour, kept) => {
      const weight = kept - overestimate;
      if (weight <= 0) return;
      const column = table.columnTotal(neighbour);
      let score: number;
      if (normalisation === "count") score = weight;
      else if (normalisation === "cosine") score = weight / Math.sqrt(row * column);
      // Only pairs that occur more often than chance are neighbours.
      else if (weight * total <= row * column) score = 0;
      else score = llrWithRowTerms(weight, row, column, total, rowTerms);
      if (score > 0) visit(neighbour, score);
    });
  }

  writeState(out: StateWriter): void {
    out.u32(this.pairs.size);
    for (const pair of this.pairs.values()) {
      out.string(pair.key);
      pair.table.writeState(out);
    }
    out.string(BASKET);
    this.basket.writeState(out);
  }

  readState(input: StateReader): void {
    this.pairs.clear();
    this.byTo.length = 0;
    const count = input.u32();
    for (let index = 0; index < count; index++) {
      const key = input.string();
      const [from, to] = key.split(">") as [InteractionKind, InteractionKind];
      if (!(from in KIND) || !(to in KIND))
        throw new SnapshotFormatError(`unknown pair of interaction kinds "${key}"`);
      this.track(from, to);
      this.pairs.get(key)!.table.readState(input);
    }
    if (input.string() !== BASKET)
      throw new SnapshotFormatError("the co-occurrence section has no basket table");
    this.basket.readState(input);
  }
}

/** Whether an entry newer than `n` had the same item and kind: one visit pairs once however often repeated. */
function seenBefore(items: Int32Array, kinds: Uint8Array, n: number, item: number, kind: number): boolean {
  for (let m = 0; m < n; m++) if (items[m] === item && kinds[m] === kind) return true;
  return false;
}

export function pairKey(from: InteractionKind, to: InteractionKind): string {
  return `${from}>${to}`;
}

/** Dunning's log-likelihood ratio (G²) of a 2×2 contingency table, as popularised by Mahout's item similarity. */
export function logLikelihoodRatio(k11: number, k12: number, k21: number, k22: number): number {
  const rowEntropy = entropy(k11 + k12, k21 + k22);
  const columnEntropy = entropy(k11 + k21, k12 + k22);
  const matrixEntropy = entropy(k11, k12, k21, k22);
  if (rowEntropy + columnEntropy < matrixEntropy) return 0;
  return 2 * (rowEntropy + columnEntropy - matrixEntropy);
}

/** G² for cell k11 of a table with the given row, column and grand totals; `rowTerms` as in forEachNeighbour. */
function llrWithRowTerms(k11: number, row: number, column: number, total: number, rowTerms: number): number {
  const k22 = Math.max(0, total - row - column + k11);
  const cells = xLogX(k11) + xLogX(row - k11) + xLogX(column - k11) + xLogX(k22);
  const llr = 2 * (rowTerms - xLogX(column) - xLogX(total - column) + cells);
  return Math.max(0, llr);
}

function entropy(...counts: number[]): number {
  let sum = 0;
  let result = 0;
  for (const count of counts) {
    result += xLogX(count);
    sum += count;
  }
  return xLogX(sum) - result;
}

function xLogX(x: number): number {
  return x <= 0 ? 0 : x * Math.log(x);
}
