import { historySeeds } from "./seeds.js";
import type { RequestContext, Strategy } from "./strategy.js";

const AFFINITY_WEIGHT = 0.5;

/**
 * Items matching the query text (titles, tags, brands, categories), or the result list a SmartSearchRequest asks
 * to re-rank, lifted by the visitor's affinity to their brands and categories (from recent history).
 */
export const search: Strategy = (request, _params, out) => {
  const affinity = affinityOf(request);
  const lift = (item: number) => 1 + AFFINITY_WEIGHT * affinity(item);
  if (request.resultItems) {
    for (const [rank, item] of request.resultItems.entries()) out.offer(item, lift(item) / (1 + 0.05 * rank));
    return;
  }
  if (!request.query) return;
  request.state.text.search(request.query, request.budget, (item, score) =>
    out.offer(item, score * lift(item)),
  );
};

/** How much an item's brand and categories match the visitor's recent items, from 0 to 1. */
function affinityOf(request: RequestContext): (item: number) => number {
  const seeds = historySeeds(request, request.state.options.historyHalfLifeMs, Number.NEGATIVE_INFINITY, 32);
  if (seeds.length === 0) return () => 0;
  const { catalog } = request.state;
  const categories = new Map<number, number>();
  const brands = new Map<string, number>();
  let total = 0;
  for (const seed of seeds) {
    const record = catalog.record(seed.item);
    if (!record) continue;
    total += seed.weight;
    for (const category of record.categoryIds)
      categories.set(category, (categories.get(category) ?? 0) + seed.weight);
    if (record.brand !== undefined) brands.set(record.brand, (brands.get(record.brand) ?? 0) + seed.weight);
  }
  if (total === 0) return () => 0;
  return (item) => {
    const record = catalog.record(item);
    if (!record) return 0;
    let best = 0;
    for (const category of record.categoryIds) best = Math.max(best, categories.get(category) ?? 0);
    const brand = record.brand === undefined ? 0 : (brands.get(record.brand) ?? 0);
    return Math.min(1, (best + brand) / (2 * total));
  };
}
