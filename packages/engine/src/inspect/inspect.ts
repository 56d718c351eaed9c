import type { InteractionKind } from "@sibyl/events";
import type { EngineState } from "../state/engine-state.js";
import { KIND_NAMES } from "../state/interaction-kinds.js";
import { historySeeds } from "../strategies/seeds.js";

export interface NeighbourView {
  item_id: string;
  score: number;
  /** Co-occurrence weight (Space-Saving count). */
  weight: number;
}

export interface ItemInspection {
  item_id: string;
  catalogued: boolean;
  removed: boolean;
  in_stock: boolean;
  catalog?: {
    item_type: string;
    title: string;
    categories: string[];
    tags: string[];
    brand?: string;
    price?: number;
    original_price?: number;
    currency?: string;
    available_at?: number;
    published_at?: number;
    image_urls: string[];
    attributes: Record<string, string | number | boolean>;
  };
  /** Decayed interaction counts as of the engine's latest event time. */
  popularity: Partial<Record<InteractionKind, number>>;
  /** Top neighbours per tracked pair of kinds ("view>view" …) and for same-transaction purchases ("basket"). */
  neighbours: Record<string, NeighbourView[]>;
}

export interface HistoryEntry {
  item_id: string;
  kind: string;
  time: number;
}

export interface VisitorInspection {
  kind: "visitor" | "user";
  id: string;
  history: HistoryEntry[];
  session: { started_at: number | null; items: HistoryEntry[] };
  cart: string[];
  lists: Record<string, string[]>;
  purchased: { item_id: string; count: number }[];
  affinities: {
    categories: { category: string; weight: number }[];
    brands: { brand: string; weight: number }[];
  };
}

const NEIGHBOURS_SHOWN = 10;

export function inspectItem(state: EngineState, itemId: string): ItemInspection | undefined {
  const { catalog, popularity, cooccurrence } = state;
  const item = catalog.ids.lookup(itemId);
  if (item < 0) return undefined;
  const record = catalog.record(item);
  const counts: Partial<Record<InteractionKind, number>> = {};
  KIND_NAMES.forEach((name, kind) => {
    const count = popularity.countAt(item, kind, state.now);
    if (name !== "seen" && count > 0) counts[name] = round(count);
  });
  const neighbours: Record<string, NeighbourView[]> = {};
  for (const key of [...cooccurrence.trackedPairs(), "basket"]) {
    const [from, to] = key.split(">") as [InteractionKind, InteractionKind];
    const table = cooccurrence.table(from, to, key === "basket");
    if (!table) continue;
    const list: NeighbourView[] = [];
    cooccurrence.forEachNeighbour(table, item, (neighbour, score) =>
      list.push({
        item_id: catalog.itemId(neighbour),
        score: round(score),
        weight: table.weight(item, neighbour),
      }),
    );
    list.sort((a, b) => b.score - a.score || (a.item_id < b.item_id ? -1 : 1));
    if (list.length > 0) neighbours[key] = list.slice(0, NEIGHBOURS_SHOWN);
  }
  const inspection: ItemInspection = {
    item_id: itemId,
    catalogued: record !== undefined,
    removed: catalog.isRemoved(item),
    in_stock: catalog.inStock(item),
    popularity: counts,
    neighbours,
  };
  if (record) {
    inspection.catalog = withoutUndefined({
      item_type: record.itemType,
      title: record.title,
      categories: record.categories,
      tags: record.tags,
      brand: record.brand,
      price: record.price,
      original_price: record.originalPrice,
      currency: record.currency,
      available_at: record.availableAt,
      published_at: record.publishedAt,
      image_urls: record.imageUrls,
      attributes: Object.fromEntries(record.attributes),
    });
  }
  return inspection;
}

export function inspectVisitor(
  state: EngineState,
  id: string | { visitor_id: string } | { user_id: string },
): VisitorInspection | undefined {
  const { visitors, catalog } = state;
  const profile =
    typeof id === "string"
      ? visitors.find("visitor", id)
      : "user_id" in id
        ? visitors.find("user", id.user_id)
        : visitors.find("visitor", id.visitor_id);
  const owner = profile >= 0 ? visitors.describe(profile) : undefined;
  if (!owner) return undefined;
  const history: HistoryEntry[] = [];
  visitors.history.forEachNewest(profile, (item, kind, timeSec) => {
    history.push({ item_id: catalog.itemId(item), kind: KIND_NAMES[kind] ?? "other", time: timeSec * 1000 });
  });
  const sessionStart = visitors.sessionStartOf(profile, state.now);
  const started = Number.isFinite(sessionStart) ? sessionStart : null;
  const categories = new Map<string, number>();
  const brands = new Map<string, number>();
  const seeds = historySeeds(
    {
      state,
      profile,
      contextItems: [],
      category: -1,
      query: undefined,
      resultItems: undefined,
      nowMs: state.now,
      budget: 0,
    },
    state.options.historyHalfLifeMs,
  );
  for (const seed of seeds) {
    const record = catalog.record(seed.item);
    for (const category of record?.categories ?? [])
      categories.set(category, (categories.get(category) ?? 0) + seed.weight);
    if (record?.brand !== undefined) brands.set(record.brand, (brands.get(record.brand) ?? 0) + seed.weight);
  }
  return {
    kind: owner.kind,
    id: owner.id,
    history,
    session: {
      started_at: started,
      items:
        started === null ? [] : history.filter((entry) => entry.time >= Math.floor(started / 1000) * 1000),
    },
    cart: (visitors.carts.get(profile) ?? []).map((item) => catalog.itemId(item)),
    lists: Object.fromEntries(
      [...(visitors.lists.get(profile) ?? [])].map(([listId, items]) => [
        listId,
        items.map((item) => catalog.itemId(item)),
      ]),
    ),
    purchased: [...(visitors.purchased.get(profile) ?? [])].map(([item, count]) => ({
      item_id: catalog.itemId(item),
      count,
    })),
    affinities: {
      categories: ranked(categories).map(([category, weight]) => ({ category, weight })),
      brands: ranked(brands).map(([brand, weight]) => ({ brand, weight })),
    },
  };
}

function ranked(weights: Map<string, number>): [string, number][] {
  return [...weights]
    .map(([key, weight]): [string, number] => [key, round(weight)])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 10);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
