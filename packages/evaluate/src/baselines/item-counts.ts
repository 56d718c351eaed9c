import type { SibylEvent } from "@sibyl/events";
import { interactionOf } from "../targets/interactions.js";

/**
 * What the baselines and the novelty metric know about the catalog: every item named so far (catalog events or
 * interactions), whether it was removed, and how many interactions named it — kept ranked as counts grow.
 *
 * The ranking is a stream summary: items sorted by count, with the first index of each run of equal counts.
 * Adding one to an item swaps it with the first item of its run, so each interaction costs O(1) and the most
 * popular items are always at the front.
 */
export class ItemCounts {
  /** Items by descending count. */
  private readonly order: string[] = [];
  private readonly position = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  /** First index in `order` of the items with a given count. */
  private readonly runStart = new Map<number, number>();
  private readonly removed = new Set<string>();
  /** Items in the order they were first named: the random baseline's urn. */
  readonly items: string[] = [];
  total = 0;

  observe(event: SibylEvent): void {
    switch (event.event_type) {
      case "ItemUpsert":
        this.removed.delete(event.item_id);
        this.know(event.item_id);
        return;
      case "ItemRemove":
        this.know(event.item_id);
        this.removed.add(event.item_id);
        return;
    }
    const interaction = interactionOf(event);
    if (!interaction) return;
    for (const item of interaction.items) this.increment(item);
  }

  count(item: string): number {
    return this.counts.get(item) ?? 0;
  }

  isAvailable(item: string): boolean {
    return this.counts.has(item) && !this.removed.has(item);
  }

  /** Items not removed. */
  get available(): number {
    return this.items.length - this.removed.size;
  }

  /** Visits items from the most to the least interacted with until `visit` returns false. */
  forEachByCount(visit: (item: string) => boolean): void {
    for (const item of this.order) if (!this.removed.has(item) && !visit(item)) return;
  }

  private know(item: string): void {
    if (this.counts.has(item)) return;
    this.counts.set(item, 0);
    this.position.set(item, this.order.length);
    if (!this.runStart.has(0)) this.runStart.set(0, this.order.length);
    this.order.push(item);
    this.items.push(item);
  }

  private increment(item: string): void {
    this.know(item);
    const count = this.counts.get(item)!;
    const from = this.position.get(item)!;
    const to = this.runStart.get(count)!;
    const displaced = this.order[to]!;
    this.order[to] = item;
    this.order[from] = displaced;
    this.position.set(item, to);
    this.position.set(displaced, from);
    const next = this.order[to + 1];
    if (next !== undefined && this.counts.get(next) === count) this.runStart.set(count, to + 1);
    else this.runStart.delete(count);
    if (!this.runStart.has(count + 1)) this.runStart.set(count + 1, to);
    this.counts.set(item, count + 1);
    this.total++;
  }
}
