import type {
  AddToCart,
  DetailItemView,
  ItemUpsert,
  PlacementStrategy,
  PlacementUpsert,
  PurchaseComplete,
  RecoRequest,
  UserInfo,
} from "@sibyl/events";

/** Builders for the events tests feed the engine: short to write, complete enough to validate. */
export const T0 = 1_767_225_600_000;
export const MINUTE = 60_000;

const who = (visitor: string | UserInfo): UserInfo =>
  typeof visitor === "string" ? { visitor_id: visitor } : visitor;

export function item(
  itemId: string,
  fields: Partial<Omit<ItemUpsert, "event_type" | "item_id">> = {},
): ItemUpsert {
  return {
    event_type: "ItemUpsert",
    item_id: itemId,
    title: fields.title ?? `Item ${itemId}`,
    event_time: T0,
    ...fields,
  };
}

export function view(
  visitor: string | UserInfo,
  itemId: string,
  time: number,
  extra: Partial<DetailItemView> = {},
): DetailItemView {
  return {
    event_type: "DetailItemView",
    user_info: who(visitor),
    item: { item_id: itemId },
    event_time: time,
    ...extra,
  };
}

export function cart(
  visitor: string | UserInfo,
  itemIds: string[],
  time: number,
  extra: Partial<AddToCart> = {},
): AddToCart {
  return {
    event_type: "AddToCart",
    user_info: who(visitor),
    items: itemIds.map((item_id) => ({ item_id })),
    event_time: time,
    ...extra,
  };
}

export function purchase(
  visitor: string | UserInfo,
  itemIds: string[],
  time: number,
  orderId: string,
  extra: Partial<PurchaseComplete> = {},
): PurchaseComplete {
  return {
    event_type: "PurchaseComplete",
    user_info: who(visitor),
    items: itemIds.map((item_id) => ({ item_id, price: 10 })),
    transaction: { id: orderId, revenue: 10 * itemIds.length, currency: "EUR" },
    event_time: time,
    ...extra,
  };
}

export function request(
  visitor: string | UserInfo,
  placement: string,
  time: number,
  extra: Partial<RecoRequest> = {},
): RecoRequest {
  return { event_type: "RecoRequest", user_info: who(visitor), placement, event_time: time, ...extra };
}

/** A placement with one strategy, for testing that strategy alone. */
export function placement(
  placementId: string,
  strategies: PlacementStrategy[],
  extra: Partial<PlacementUpsert> = {},
): PlacementUpsert {
  return { event_type: "PlacementUpsert", placement_id: placementId, strategies, event_time: T0, ...extra };
}

export function ids(response: { items: { item_id: string }[] }): string[] {
  return response.items.map((entry) => entry.item_id);
}
