import type { ItemRef, SibylEvent, UserInfo } from "@sibyl/events";
import { Random, Zipf } from "./random.js";

export interface StreamOptions {
  /** Number of events to produce. */
  events: number;
  /** Catalog size; item popularity follows Zipf over it. */
  items?: number;
  /** Number of distinct visitors. */
  visitors?: number;
  seed?: number;
  /** event_time of the first event, milliseconds since the epoch. */
  startTime?: number;
  /** Sessions open at the same time; each event continues one of them. */
  concurrentSessions?: number;
}

/**
 * The share of each event type in the stream, per `targets.md`: about 80 % views, 10 % carts, 3 % purchases,
 * 5 % other behaviour and recommendation traffic, 2 % catalog changes.
 */
export const EVENT_MIX = [
  ["DetailItemView", 72],
  ["CategoryPageView", 4],
  ["HomePageView", 2],
  ["ItemsView", 2],
  ["AddToCart", 8],
  ["RemoveFromCart", 1],
  ["CheckoutStart", 1],
  ["PurchaseComplete", 3],
  ["RecoRequest", 2],
  ["RecoShow", 1],
  ["RecoAck", 0.5],
  ["SearchItems", 0.5],
  ["RateItem", 0.5],
  ["AddToList", 0.5],
  ["ItemUpsert", 1],
  ["ItemPatch", 0.5],
  ["ChangeItemStockState", 0.5],
] as const satisfies readonly (readonly [SibylEvent["event_type"], number])[];

type MixType = (typeof EVENT_MIX)[number][0];

interface Session {
  user: UserInfo;
  remaining: number;
  lastItem: number;
  cart: number[];
  recId: number;
}

const PLACEMENTS = ["product_page_similar", "home_for_you", "cart_fbt", "trending"] as const;
const BRANDS = [
  "Acme",
  "Northwind",
  "Contoso",
  "Fabrikam",
  "Globex",
  "Initech",
  "Umbrella",
  "Hooli",
] as const;

export function itemId(index: number): string {
  return `sku-${index}`;
}

export function itemCategory(index: number): string {
  return `Dept ${index % 20} > Cat ${index % 400}`;
}

/**
 * A seeded, realistic event stream: Zipf item popularity, sessions of geometric length (mean 12) in which a
 * visitor often moves to a nearby item (so co-occurrence has structure to find), carts that turn into purchases.
 */
export function* syntheticStream(options: StreamOptions): Generator<SibylEvent> {
  const items = options.items ?? 100_000;
  const visitors = options.visitors ?? 100_000;
  const random = new Random(options.seed ?? 42);
  const zipf = new Zipf(items);
  const cumulativeMix = cumulative(EVENT_MIX.map(([, weight]) => weight));
  const sessions: Session[] = [];
  const concurrent = options.concurrentSessions ?? 1_000;
  let time = options.startTime ?? 1_767_225_600_000;
  let recIds = 0;
  let orders = 0;

  const newSession = (): Session => {
    const visitor = random.int(visitors);
    const user: UserInfo = { visitor_id: `v-${visitor}`, session_id: `s-${visitor}-${time}` };
    if (visitor % 5 === 0) user.user_id = `u-${visitor}`;
    return { user, remaining: random.geometric(12), lastItem: zipf.sample(random), cart: [], recId: 0 };
  };
  const nextItem = (session: Session): number => {
    session.lastItem =
      random.next() < 0.6 ? (session.lastItem + 1 + random.int(20)) % items : zipf.sample(random);
    return session.lastItem;
  };
  const ref = (index: number): ItemRef => ({ item_id: itemId(index) });

  for (let produced = 0; produced < options.events; produced++) {
    time += random.int(20);
    const type = EVENT_MIX[search(cumulativeMix, random.next())]![0] as MixType;
    const slot = random.int(concurrent);
    if (sessions[slot] === undefined || sessions[slot]!.remaining <= 0) sessions[slot] = newSession();
    const session = sessions[slot]!;
    session.remaining--;
    const base = { event_time: time, user_info: session.user };
    switch (type) {
      case "DetailItemView":
        yield { event_type: type, ...base, item: ref(nextItem(session)) };
        break;
      case "CategoryPageView":
        yield { event_type: type, ...base, page_categories: [itemCategory(session.lastItem)] };
        break;
      case "HomePageView":
        yield { event_type: type, ...base };
        break;
      case "ItemsView":
        yield { event_type: type, ...base, items: [ref(nextItem(session)), ref(nextItem(session))] };
        break;
      case "AddToCart": {
        const item = session.lastItem;
        session.cart.push(item);
        yield { event_type: type, ...base, items: [{ item_id: itemId(item), quantity: 1 + random.int(2) }] };
        break;
      }
      case "RemoveFromCart":
        yield { event_type: type, ...base, items: [ref(session.cart.pop() ?? session.lastItem)] };
        break;
      case "CheckoutStart":
      case "PurchaseComplete": {
        const bought = session.cart.length > 0 ? session.cart : [session.lastItem];
        const transaction = { id: `o-${++orders}`, revenue: 10 + random.int(200), currency: "EUR" };
        yield { event_type: type, ...base, items: bought.map(ref), transaction };
        if (type === "PurchaseComplete") session.cart = [];
        break;
      }
      case "RecoRequest":
        session.recId = ++recIds;
        yield {
          event_type: type,
          ...base,
          placement: random.pick(PLACEMENTS),
          rec_id: `r-${session.recId}`,
          context_item_ids: [itemId(session.lastItem)],
          count: 10,
        };
        break;
      case "RecoShow":
        yield {
          event_type: type,
          ...base,
          rec_id: `r-${session.recId || ++recIds}`,
          item_ids: [itemId(nextItem(session))],
        };
        break;
      case "RecoAck":
        yield {
          event_type: type,
          ...base,
          rec_id: `r-${session.recId || ++recIds}`,
          item_id: itemId(session.lastItem),
        };
        break;
      case "SearchItems":
        yield {
          event_type: type,
          ...base,
          query: random.pick(BRANDS).toLowerCase(),
          result_item_ids: [itemId(zipf.sample(random)), itemId(zipf.sample(random))],
        };
        break;
      case "RateItem":
        yield {
          event_type: type,
          ...base,
          item: ref(session.lastItem),
          rating: 1 + random.int(5),
          scale_max: 5,
        };
        break;
      case "AddToList":
        yield { event_type: type, ...base, list_id: "wishlist", item: ref(session.lastItem) };
        break;
      case "ItemUpsert": {
        const index = zipf.sample(random);
        yield {
          event_type: type,
          event_time: time,
          item_id: itemId(index),
          title: `${BRANDS[index % BRANDS.length]} item ${index}`,
          categories: [itemCategory(index)],
          tags: [`tag-${index % 97}`, `tag-${index % 89}`],
          brand: BRANDS[index % BRANDS.length]!,
          price: { display: 5 + (index % 300), currency: "EUR" },
          in_stock: true,
        };
        break;
      }
      case "ItemPatch":
        yield {
          event_type: type,
          event_time: time,
          item_id: itemId(zipf.sample(random)),
          price: { display: 5 + random.int(300), currency: "EUR" },
        };
        break;
      case "ChangeItemStockState":
        yield {
          event_type: type,
          event_time: time,
          item_id: itemId(zipf.sample(random)),
          in_stock: random.next() < 0.8,
        };
        break;
    }
  }
}

/** The catalog of a synthetic stream: one ItemUpsert per item, for engines that should know every item. */
export function* syntheticCatalog(items: number, startTime = 1_767_225_600_000): Generator<SibylEvent> {
  for (let index = 0; index < items; index++) {
    yield {
      event_type: "ItemUpsert",
      event_time: startTime,
      item_id: itemId(index),
      title: `${BRANDS[index % BRANDS.length]} item ${index}`,
      categories: [itemCategory(index)],
      tags: [`tag-${index % 97}`],
      brand: BRANDS[index % BRANDS.length]!,
      price: { display: 5 + (index % 300), currency: "EUR" },
    };
  }
}

function cumulative(weights: readonly number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let running = 0;
  return weights.map((weight) => (running += weight / total));
}

function search(cumulativeWeights: readonly number[], u: number): number {
  const index = cumulativeWeights.findIndex((bound) => u < bound);
  return index === -1 ? cumulativeWeights.length - 1 : index;
}
