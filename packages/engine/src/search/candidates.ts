/**
 * The scratch of one query: the items it has found so far and, per item, the best contribution of each query
 * term, then the top k by score.
 *
 * Why this layout: a query touches at most `scanBudget` items, so candidates live in a small open-addressing
 * table (item → slot, 4 × scanBudget entries, allocated once) plus dense per-slot arrays, and nothing is kept
 * per catalog item. After a query only the used table entries are reset. A term's contribution is a max
 * (an item counts its best field, and its best exact/completion match, once) and an item's score is summed in
 * term order, so equal matches give bit-equal scores whatever order the lists were read in.
 */
import { TEXT_INDEX_BOUNDS } from "./text-bounds.js";

const SCAN_BUDGET = TEXT_INDEX_BOUNDS.scanBudget;
const MAX_QUERY_TOKENS = TEXT_INDEX_BOUNDS.maxQueryTokens;

export class Candidates {
  private tableItems = new Int32Array(0);
  private tableSlots = new Int32Array(0);
  private tableShift = 32;
  private items = new Uint32Array(0);
  private positions = new Uint32Array(0);
  /** Contribution of term g to slot s at [s × stride + g]. */
  contrib = new Float64Array(0);
  private scores = new Float64Array(0);
  private heap = new Float64Array(0);
  /**
   * Whether the table holds every candidate. Why: the first list a query reads holds each item once, so its
   * postings are appended without a lookup, and the table is built only if another list is read (a query of
   * one list, or one whose other lists are pruned, never builds it).
   */
  private hashed = false;
  /** Candidates found so far. */
  count = 0;
  /** Terms of the current query. */
  stride = 0;

  /** Starts a query of `terms` terms. */
  prepare(terms: number): void {
    if (this.tableItems.length === 0) {
      const tableSize = 4 * SCAN_BUDGET;
      this.tableItems = new Int32Array(tableSize).fill(-1);
      this.tableSlots = new Int32Array(tableSize);
      this.tableShift = 32 - Math.log2(tableSize);
      this.items = new Uint32Array(SCAN_BUDGET);
      this.positions = new Uint32Array(SCAN_BUDGET);
      this.contrib = new Float64Array(SCAN_BUDGET * MAX_QUERY_TOKENS);
      this.scores = new Float64Array(SCAN_BUDGET);
      this.heap = new Float64Array(SCAN_BUDGET);
    }
    this.count = 0;
    this.stride = terms;
    this.hashed = false;
  }

  /** Announces the next list read into the candidates: from the second on, items are looked up. */
  startList(): void {
    if (this.hashed || this.count === 0) return;
    this.hashed = true;
    const mask = this.tableItems.length - 1;
    for (let s = 0; s < this.count; s++) {
      let h = Math.imul(this.items[s]!, 0x9e3779b1) >>> this.tableShift;
      while (this.tableItems[h]! >= 0) h = (h + 1) & mask;
      this.tableItems[h] = this.items[s]!;
      this.tableSlots[h] = s;
      this.positions[s] = h;
    }
  }

  /** Forgets every candidate (the table is reset entry by entry). */
  clear(): void {
    if (this.hashed) for (let s = 0; s < this.count; s++) this.tableItems[this.positions[s]!] = -1;
    this.count = 0;
    this.hashed = false;
  }

  /** Item of slot `s`. */
  item(s: number): number {
    return this.items[s]!;
  }

  /** Raises candidate `item`'s contribution for term `g` to `value` (adding the candidate if new). */
  accumulate(item: number, g: number, value: number): void {
    if (!this.hashed) {
      const at = this.newSlot(item) * this.stride + g;
      if (value > this.contrib[at]!) this.contrib[at] = value;
      return;
    }
    const mask = this.tableItems.length - 1;
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
    if (slot < 0) slot = this.add(item, h);
    const at = slot * this.stride + g;
    if (value > this.contrib[at]!) this.contrib[at] = value;
  }

  /** Adds `item` as a candidate at free table position `h`. */
  private add(item: number, h: number): number {
    const slot = this.newSlot(item);
    this.tableItems[h] = item;
    this.tableSlots[h] = slot;
    this.positions[slot] = h;
    return slot;
  }

  /** Gives `item` the next slot, with no contribution yet. */
  private newSlot(item: number): number {
    const slot = this.count++;
    // Cannot happen: a query reads at most SCAN_BUDGET live postings (see `search`).
    if (slot === this.items.length) throw new Error("TextIndex: internal error (scan budget exceeded)");
    this.items[slot] = item;
    const at = slot * this.stride;
    for (let g = 0; g < this.stride; g++) this.contrib[at + g] = 0;
    return slot;
  }

  /** Sums every candidate's contributions, in term order, into its score. */
  private sumScores(): void {
    const candidates = this.count;
    const stride = this.stride;
    const scores = this.scores;
    const contrib = this.contrib;
    for (let s = 0; s < candidates; s++) {
      let score = 0;
      for (let g = 0; g < stride; g++) score += contrib[s * stride + g]!;
      scores[s] = score;
    }
  }

  /**
   * The `k`-th highest score (1 ≤ k ≤ count) of the candidates as their contributions stand now. Contributions
   * only grow and are summed in term order, so it is a lower bound of the `k`-th highest final score.
   */
  kthScore(k: number): number {
    this.sumScores();
    const scores = this.scores;
    // A min-heap of the k highest scores seen, its root the lowest of them.
    const heap = this.heap;
    for (let s = 0; s < k; s++) {
      let i = s;
      const value = scores[s]!;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (heap[parent]! <= value) break;
        heap[i] = heap[parent]!;
        i = parent;
      }
      heap[i] = value;
    }
    for (let s = k; s < this.count; s++) {
      const value = scores[s]!;
      if (value <= heap[0]!) continue;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= k) break;
        const child = left + 1 < k && heap[left + 1]! < heap[left]! ? left + 1 : left;
        if (heap[child]! >= value) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = value;
    }
    return heap[0]!;
  }

  /** The best `limit` candidates, best first (score descending, then item ascending), with their scores. */
  best(limit: number): { items: Uint32Array; scores: Float64Array } {
    const candidates = this.count;
    const scores = this.scores;
    this.sumScores();
    const k = Math.min(limit, candidates);
    const top = this.topSlots(k);
    const items = new Uint32Array(k);
    const topScores = new Float64Array(k);
    for (let r = 0; r < k; r++) {
      items[r] = this.items[top[r]!]!;
      topScores[r] = scores[top[r]!]!;
    }
    return { items, scores: topScores };
  }

  /** The best `k` candidate slots, best first (score descending, then item ascending). */
  private topSlots(k: number): Uint32Array {
    const order = new Uint32Array(k);
    if (k === 0) return order;
    // A binary heap whose root is the worst slot kept. Methods rather than closures: closures capturing the
    // mutable heap size made this function measurably slower on the hot path of every query.
    const heap = new Uint32Array(k);
    const scores = this.scores;
    const items = this.items;
    const candidates = this.count;
    let size = 0;
    let s = 0;
    for (; s < candidates && size < k; s++) {
      let i = size++;
      heap[i] = s;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.better(heap[parent]!, heap[i]!)) break;
        const swap = heap[i]!;
        heap[i] = heap[parent]!;
        heap[parent] = swap;
        i = parent;
      }
    }
    // The heap is full: a candidate gets in only if it beats the worst kept (most do not).
    let worstScore = scores[heap[0]!]!;
    let worstItem = items[heap[0]!]!;
    for (; s < candidates; s++) {
      const score = scores[s]!;
      if (score < worstScore || (score === worstScore && items[s]! > worstItem)) continue;
      heap[0] = s;
      this.siftDown(heap, size);
      worstScore = scores[heap[0]!]!;
      worstItem = items[heap[0]!]!;
    }
    // Pop the worst into the back until empty: best first.
    for (let r = k - 1; r >= 0; r--) {
      order[r] = heap[0]!;
      size--;
      if (size > 0) {
        heap[0] = heap[size]!;
        this.siftDown(heap, size);
      }
    }
    return order;
  }

  /** The strict total order of results: slot `a` ranks before slot `b`. */
  private better(a: number, b: number): boolean {
    const scores = this.scores;
    return scores[a]! > scores[b]! || (scores[a] === scores[b] && this.items[a]! < this.items[b]!);
  }

  /** Restores the heap order of `heap[0, size)` (root: the worst slot) after its root changed. */
  private siftDown(heap: Uint32Array, size: number): void {
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      let worst = i;
      if (left < size && this.better(heap[worst]!, heap[left]!)) worst = left;
      if (left + 1 < size && this.better(heap[worst]!, heap[left + 1]!)) worst = left + 1;
      if (worst === i) return;
      const swap = heap[i]!;
      heap[i] = heap[worst]!;
      heap[worst] = swap;
      i = worst;
    }
  }
}
