import type { ItemRecord } from "../state/catalog.js";
import { KIND } from "../state/interaction-kinds.js";
import { contextOrRecentSeeds } from "./seeds.js";
import type { Strategy } from "./strategy.js";

type ContentField = "categories" | "tags" | "brand" | "price_band";
const ALL_FIELDS: readonly ContentField[] = ["categories", "tags", "brand", "price_band"];
const FIELD_WEIGHT: Readonly<Record<ContentField, number>> = {
  categories: 2,
  tags: 1,
  brand: 0.5,
  price_band: 0.5,
};
const POOL_PER_SOURCE = 32;

/**
 * Items that share categories (ancestors included), tags, brand and price band with the context items (or the
 * visitor's recent items). It needs no interaction history, so it is how new items get recommended.
 * Candidates come from each seed's most specific category (its most popular and its newest members), brand and
 * tags, bounded per source so a huge category costs no more than a small one.
 */
export const content: Strategy = (request, params, out) => {
  const { catalog, popularity } = request.state;
  const fields = params.fields ?? ALL_FIELDS;
  for (const seed of contextOrRecentSeeds(request, 3)) {
    const record = catalog.record(seed.item);
    if (!record) continue;
    const pool = new Set<number>();
    const leaf = record.categoryIds[0];
    if (leaf !== undefined && fields.includes("categories")) {
      addFirst(pool, popularity.top(KIND.view, leaf), POOL_PER_SOURCE);
      addLast(pool, catalog.categoryMembers[leaf] ?? [], POOL_PER_SOURCE);
    }
    if (record.brand !== undefined && fields.includes("brand")) {
      addLast(pool, catalog.brandMembers.get(record.brand) ?? [], POOL_PER_SOURCE / 2);
    }
    if (fields.includes("tags")) {
      for (const tag of record.tags.slice(0, 5))
        addLast(pool, catalog.tagMembers.get(tag) ?? [], POOL_PER_SOURCE / 4);
    }
    pool.delete(seed.item);
    for (const candidate of pool) {
      const other = catalog.record(candidate);
      if (other) out.offer(candidate, similarity(record, other, fields) * seed.weight, seed.item);
    }
  }
};

export function similarity(a: ItemRecord, b: ItemRecord, fields: readonly ContentField[]): number {
  let score = 0;
  if (fields.includes("categories") && a.categoryIds.length > 0) {
    score += (FIELD_WEIGHT.categories * overlap(a.categoryIds, b.categoryIds)) / a.categoryIds.length;
  }
  if (fields.includes("tags") && a.tags.length + b.tags.length > 0) {
    const shared = overlap(a.tags, b.tags);
    score += (FIELD_WEIGHT.tags * shared) / (a.tags.length + b.tags.length - shared);
  }
  if (fields.includes("brand") && a.brand !== undefined && a.brand === b.brand) score += FIELD_WEIGHT.brand;
  if (
    fields.includes("price_band") &&
    a.price !== undefined &&
    b.price !== undefined &&
    a.currency === b.currency
  ) {
    if (priceBand(a.price) === priceBand(b.price)) score += FIELD_WEIGHT.price_band;
  }
  return score;
}

/** Price bands double in width: 1–2, 2–4, 4–8 … so "similar price" scales with the price. */
function priceBand(price: number): number {
  return price <= 0 ? -1 : Math.floor(Math.log2(price));
}

function overlap<T>(a: readonly T[], b: readonly T[]): number {
  let shared = 0;
  for (const value of a) if (b.includes(value)) shared++;
  return shared;
}

function addFirst(pool: Set<number>, items: readonly number[], limit: number): void {
  for (let index = 0; index < Math.min(limit, items.length); index++) pool.add(items[index]!);
}

function addLast(pool: Set<number>, items: readonly number[], limit: number): void {
  for (let index = items.length - 1; index >= Math.max(0, items.length - limit); index--)
    pool.add(items[index]!);
}
