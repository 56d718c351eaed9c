import { grown } from "./growable.js";
import { KIND_COUNT } from "./interaction-kinds.js";
import type { StateReader } from "./state-reader.js";
import type { StateWriter } from "./state-writer.js";
import { TopK } from "./top-k.js";

// Rebase before 2^exponent can lose precision or overflow a double.
const MAX_EXPONENT = 512;

/**
 * Exponentially decayed interaction counts per item and kind. Instead of decaying every counter as time passes,
 * each interaction adds 2^((t - origin) / halfLife): all counters then share one decay factor, so they compare
 * directly and an update is O(1). When the exponent grows large every counter is rescaled at once.
 * Time comes only from event_time, so replays give identical numbers.
 */
export class Popularity {
  private readonly scores: Float64Array[] = [];
  private readonly global: TopK[] = [];
  private readonly perCategory: Map<number, TopK>[] = [];
  private origin: number | undefined;
  /** The last scaleAt answer: an event with several items, and events of one millisecond, share their time. */
  private scaledTime = Number.NaN;
  private scale = 1;

  constructor(
    private readonly halfLifeMs: number,
    topK: number,
    private readonly categoryTopK: number,
  ) {
    for (let kind = 0; kind < KIND_COUNT; kind++) {
      this.scores.push(new Float64Array(0));
      this.global.push(new TopK(topK));
      this.perCategory.push(new Map());
    }
  }

  add(item: number, kind: number, timeMs: number, weight: number, categoryIds: readonly number[]): void {
    const increment = weight * this.scaleAt(timeMs);
    const scores = grown(this.scores[kind]!, item + 1);
    this.scores[kind] = scores;
    scores[item]! += increment;
    if (increment >= 0) {
      this.global[kind]!.raise(item, scores);
      for (const category of categoryIds) this.categoryTop(kind, category).raise(item, scores);
    } else {
      this.global[kind]!.lower(item, scores);
      for (const category of categoryIds) this.categoryTop(kind, category).lower(item, scores);
    }
  }

  /** Takes `count` interactions of `kind` made at `timeMs` back (a refund), never below zero. */
  subtract(item: number, kind: number, timeMs: number, count: number, categoryIds: readonly number[]): void {
    const scores = this.scores[kind]!;
    if (item >= scores.length) return;
    const amount = Math.min(scores[item]!, count * this.scaleAt(timeMs));
    if (amount > 0) this.add(item, kind, timeMs, -amount / this.scaleAt(timeMs), categoryIds);
  }

  /** A score that ranks items by decayed count; comparable across items of one kind at one moment. */
  score(item: number, kind: number): number {
    return this.scores[kind]![item] ?? 0;
  }

  /** The decayed count as of `nowMs`. */
  countAt(item: number, kind: number, nowMs: number): number {
    return this.score(item, kind) / this.scaleAt(nowMs);
  }

  /** Items ranked by this kind, best first, over the catalog or one category. */
  top(kind: number, category = -1): readonly number[] {
    if (category < 0) return this.global[kind]!.items;
    return this.perCategory[kind]!.get(category)?.items ?? [];
  }

  /** Moves a category's or the catalog's rankings when an item changes categories. */
  recategorise(item: number, removedCategories: readonly number[], addedCategories: readonly number[]): void {
    for (let kind = 0; kind < KIND_COUNT; kind++) {
      const scores = this.scores[kind]!;
      if (item >= scores.length || scores[item] === 0) continue;
      for (const category of removedCategories) this.perCategory[kind]!.get(category)?.remove(item);
      for (const category of addedCategories) this.categoryTop(kind, category).raise(item, scores);
    }
  }

  private categoryTop(kind: number, category: number): TopK {
    const tops = this.perCategory[kind]!;
    let top = tops.get(category);
    if (!top) {
      top = new TopK(this.categoryTopK);
      tops.set(category, top);
    }
    return top;
  }

  private scaleAt(timeMs: number): number {
    if (timeMs === this.scaledTime) return this.scale;
    if (this.origin === undefined) this.origin = timeMs;
    let exponent = (timeMs - this.origin) / this.halfLifeMs;
    if (exponent > MAX_EXPONENT) {
      this.rebase(timeMs);
      exponent = 0;
    }
    this.scaledTime = timeMs;
    this.scale = 2 ** exponent;
    return this.scale;
  }

  private rebase(timeMs: number): void {
    const factor = 2 ** (-(timeMs - this.origin!) / this.halfLifeMs);
    for (const scores of this.scores)
      for (let item = 0; item < scores.length; item++) scores[item]! *= factor;
    this.origin = timeMs;
    this.scaledTime = Number.NaN;
  }

  writeState(out: StateWriter, items: number): void {
    out.f64(this.origin ?? Number.NaN);
    for (let kind = 0; kind < KIND_COUNT; kind++) {
      // Exactly one score per known item, whatever length the array has grown to: equal state, equal bytes.
      const scores = this.scores[kind]!;
      out.array(scores.length >= items ? scores.subarray(0, items) : grown(scores, items).subarray(0, items));
      this.global[kind]!.writeState(out);
      out.u32(this.perCategory[kind]!.size);
      for (const [category, top] of this.perCategory[kind]!) {
        out.u32(category);
        top.writeState(out);
      }
    }
  }

  readState(input: StateReader): void {
    const origin = input.f64();
    this.origin = Number.isNaN(origin) ? undefined : origin;
    this.scaledTime = Number.NaN;
    for (let kind = 0; kind < KIND_COUNT; kind++) {
      this.scores[kind] = input.array(Float64Array);
      this.global[kind]!.readState(input);
      const tops = this.perCategory[kind]!;
      tops.clear();
      const categories = input.u32();
      for (let index = 0; index < categories; index++) {
        const category = input.u32();
        const top = new TopK(this.categoryTopK);
        top.readState(input);
        tops.set(category, top);
      }
    }
  }
}
