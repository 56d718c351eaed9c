import type { InteractionKind } from "@sibyl/events";
import type { Normalisation } from "../options.js";
import { KIND } from "./interaction-kinds.js";
import { NeighbourTable } from "./neighbour-table.js";
import type { RingStore } from "./ring-store.js";
import type { StateWriter } from "./state-writer.js";

interface TrackedPair {
  key: string;
  from: number;
  table: NeighbourTable;
}

/** Key of the same-transaction co-purchase table (frequently bought together). */
export const BASKET = "basket";

/**
 * Item–item co-occurrence per pair of interaction kinds: "A on item i, then B on item j by the same visitor within
 * the window" adds to (i → j); for a pair of one kind (view, view) both directions count, so a product page sees
 * what was viewed before and after it. Each item keeps a bounded set of neighbours (Space-Saving), and a neighbour
 * is scored by how much more often the pair occurs than the two items' own frequencies predict.
 */
export class Cooccurrence {
  private readonly pairs = new Map<string, TrackedPair>();
  /** Tracked pairs by the kind of their second interaction, for one pass over the history per event. */
  private readonly byTo: TrackedPair[][] = [];
  readonly basket: NeighbourTable;

  constructor(
    private readonly neighbours: number,
    private readonly windowMs: number,
    private readonly lookback: number,
    private readonly normalisation: Normalisation,
    initialPairs: readonly (readonly [InteractionKind, InteractionKind])[],
  ) {
    this.basket = new NeighbourTable(neighbours);
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
    const seen: number[] = [];
    let visited = 0;
    history.forEachNewest(profile, (earlier, earlierKind, timeSec) => {
      if (timeSec < oldest || visited++ >= this.lookback) return false;
      if (earlier === item || seen.includes(earlier * 16 + earlierKind)) return;
      seen.push(earlier * 16 + earlierKind);
      for (const pair of pairs) {
        if (pair.from !== earlierKind) continue;
        pair.table.add(earlier, item);
        if (pair.from === kind) pair.table.add(item, earlier);
      }
    });
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

  /** Visits the neighbours of `item` in a table with their normalised scores (0 for a negative association). */
  forEachNeighbour(
    table: NeighbourTable,
    item: number,
    visit: (neighbour: number, score: number) => void,
  ): void {
    const row = table.rowTotal(item);
    if (row <= 0) return;
    const total = table.total;
    table.forEach(item, (neighbour, weight) => {
      if (weight <= 0) return;
      const column = table.columnTotal(neighbour);
      const score = this.score(weight, row, column, total);
      if (score > 0) visit(neighbour, score);
    });
  }

  private score(k11: number, row: number, column: number, total: number): number {
    if (this.normalisation === "count") return k11;
    if (this.normalisation === "cosine") return k11 / Math.sqrt(row * column);
    // Only pairs that occur more often than chance are neighbours.
    if (k11 * total <= row * column) return 0;
    return logLikelihoodRatio(k11, row - k11, column - k11, Math.max(0, total - row - column + k11));
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
