import { grown } from "../state/growable.js";

/**
 * Collects the scored candidates of one request across strategies without allocating per candidate: dense
 * arrays indexed by item id, reset through the list of touched items. One instance is reused by every request.
 *
 * A strategy offers raw scores (summed per item); `endStrategy` normalises them by that strategy's best score,
 * weights them, and adds them to the blend, remembering which strategy contributed most to each item.
 */
export class Candidates {
  private raw = new Float64Array(0);
  private rawBest = new Float64Array(0);
  private rawContext = new Int32Array(0);
  private readonly rawTouched: number[] = [];
  private blend = new Float64Array(0);
  private bestContribution = new Float64Array(0);
  private bestStrategy = new Int32Array(0);
  private context = new Int32Array(0);
  private inBlend = new Uint8Array(0);
  readonly touched: number[] = [];

  /** Makes room for item ids below `items`. */
  reserve(items: number): void {
    this.raw = grown(this.raw, items);
    this.rawBest = grown(this.rawBest, items);
    this.rawContext = grown(this.rawContext, items);
    this.blend = grown(this.blend, items);
    this.bestContribution = grown(this.bestContribution, items);
    this.bestStrategy = grown(this.bestStrategy, items);
    this.context = grown(this.context, items);
    this.inBlend = grown(this.inBlend, items);
  }

  /** Adds `score` to the item's raw score in the current strategy; `contextItem` explains it (-1 for none). */
  offer(item: number, score: number, contextItem = -1): void {
    if (!(score > 0)) return;
    if (this.raw[item] === 0) {
      this.rawTouched.push(item);
      this.rawBest[item] = 0;
      this.rawContext[item] = -1;
    }
    this.raw[item]! += score;
    if (score > this.rawBest[item]!) {
      this.rawBest[item] = score;
      this.rawContext[item] = contextItem;
    }
  }

  /** Blends the current strategy's offers with `weight`. */
  endStrategy(strategy: number, weight: number): void {
    let max = 0;
    for (const item of this.rawTouched) if (this.raw[item]! > max) max = this.raw[item]!;
    for (const item of this.rawTouched) {
      const contribution = max > 0 ? (weight * this.raw[item]!) / max : 0;
      if (this.inBlend[item] === 0) {
        this.inBlend[item] = 1;
        this.touched.push(item);
        this.blend[item] = 0;
        this.bestContribution[item] = -1;
      }
      this.blend[item]! += contribution;
      if (contribution > this.bestContribution[item]!) {
        this.bestContribution[item] = contribution;
        this.bestStrategy[item] = strategy;
        this.context[item] = this.rawContext[item]!;
      }
      this.raw[item] = 0;
    }
    this.rawTouched.length = 0;
  }

  /** Hands over the current strategy's offers without blending them (fallbacks), then forgets them. */
  takeOffers(visit: (item: number, score: number, contextItem: number) => void): void {
    for (const item of this.rawTouched) {
      visit(item, this.raw[item]!, this.rawContext[item]!);
      this.raw[item] = 0;
    }
    this.rawTouched.length = 0;
  }

  score(item: number): number {
    return this.blend[item]!;
  }

  strategyOf(item: number): number {
    return this.bestStrategy[item]!;
  }

  contextOf(item: number): number {
    return this.context[item]!;
  }

  /** Forgets every candidate, ready for the next request. */
  clear(): void {
    for (const item of this.rawTouched) this.raw[item] = 0;
    this.rawTouched.length = 0;
    for (const item of this.touched) this.inBlend[item] = 0;
    this.touched.length = 0;
  }
}
