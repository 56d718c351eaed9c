import type { ItemRef } from "@sibyl/events";
import type { EngineState } from "../state/engine-state.js";
import { KIND } from "../state/interaction-kinds.js";
import type { ReducerGroup } from "./reducer.js";

type BehaviourType =
  | "DetailItemView"
  | "HomePageView"
  | "CartPageView"
  | "PageVisit"
  | "CategoryPageView"
  | "ItemsView"
  | "ListView"
  | "AddToList"
  | "RemoveFromList"
  | "AddToCart"
  | "RemoveFromCart"
  | "CheckoutStart"
  | "PurchaseComplete"
  | "Refund"
  | "RateItem"
  | "VideoInteraction"
  | "ImageInteraction"
  | "SearchItems"
  | "SortItems"
  | "OtherInteraction";

/** A rating at or above this share of the scale is a positive signal; below it the item only counts as known. */
const POSITIVE_RATING = 0.6;

export const behaviourReducers: ReducerGroup<BehaviourType> = {
  DetailItemView(event, { state, timeMs }) {
    interactWith(state, state.profileFor(event.user_info, timeMs), event.item, KIND.view, timeMs);
  },
  HomePageView: touchSession,
  PageVisit: touchSession,
  CategoryPageView: touchSession,
  ItemsView: touchSession,
  SearchItems: touchSession,
  SortItems: touchSession,
  CheckoutStart: touchSession,
  CartPageView(event, { state, timeMs }) {
    const profile = state.profileFor(event.user_info, timeMs);
    // The cart page shows the cart as the shop knows it: that is the truth for exclusions.
    if (profile < 0 || !event.items) return;
    state.visitors.carts.delete(profile);
    for (const ref of event.items) state.visitors.addToCart(profile, state.catalog.intern(ref.item_id));
  },
  ListView(event, { state, timeMs }) {
    const profile = state.profileFor(event.user_info, timeMs);
    if (profile < 0 || !event.items) return;
    for (const ref of event.items)
      state.visitors.setListItem(profile, event.list_id, state.catalog.intern(ref.item_id), true);
  },
  AddToList(event, { state, timeMs }) {
    const profile = state.profileFor(event.user_info, timeMs);
    const item = interactWith(state, profile, event.item, KIND.list, timeMs);
    if (profile >= 0) state.visitors.setListItem(profile, event.list_id, item, true);
  },
  RemoveFromList(event, { state, timeMs }) {
    const profile = state.profileFor(event.user_info, timeMs);
    if (profile >= 0)
      state.visitors.setListItem(profile, event.list_id, state.catalog.intern(event.item.item_id), false);
  },
  AddToCart(event, { state, timeMs }) {
    const profile = state.profileFor(event.user_info, timeMs);
    const items = event.items.map((ref) => interactWith(state, profile, ref, KIND.cart, timeMs));
    if (profile >= 0) for (const item of items) state.visitors.addToCart(profile, item);
    if (event.context?.rec_id !== undefined) state.attribution.cart(event.context.rec_id, items);
  },
  RemoveFromCart(event, { state, timeMs }) {
    const profile = state.profileFor(event.user_info, timeMs);
    if (profile < 0) return;
    for (const ref of event.items) state.visitors.removeFromCart(profile, state.catalog.intern(ref.item_id));
  },
  PurchaseComplete(event, { state, timeMs }) {
    const profile = state.profileFor(event.user_info, timeMs);
    const lines = event.items.map((ref) => ({
      item: interactWith(state, profile, ref, KIND.purchase, timeMs),
      quantity: ref.quantity ?? 1,
      price: ref.price,
    }));
    if (profile >= 0)
      for (const line of lines) state.visitors.recordPurchase(profile, line.item, line.quantity);
    state.cooccurrence.observeBasket(distinct(lines.map((line) => line.item)));
    state.rememberOrder(event.transaction.id, {
      profile,
      timeMs,
      items: lines.map(({ item, quantity }) => ({ item, quantity })),
    });
    if (event.context?.rec_id !== undefined) {
      state.attribution.purchase(
        event.context.rec_id,
        lines.map((line) => ({
          item: line.item,
          revenue: (line.price ?? state.catalog.price(line.item) ?? 0) * line.quantity,
        })),
      );
    }
  },
  Refund(event, { state, timeMs }) {
    state.profileFor(event.user_info, timeMs);
    const order = state.orders.get(event.transaction_id);
    if (!order) return;
    const refunded = new Set(event.items.map((ref) => state.catalog.ids.lookup(ref.item_id)));
    const undone = order.items.filter((line) => refunded.has(line.item));
    for (const { item, quantity } of undone) {
      state.popularity.subtract(
        item,
        KIND.purchase,
        order.timeMs,
        1,
        state.catalog.record(item)?.categoryIds ?? [],
      );
      if (order.profile >= 0) state.visitors.undoPurchase(order.profile, item, quantity);
    }
    // Undo the co-purchase pairs the refunded items were part of.
    const all = distinct(order.items.map((line) => line.item));
    for (const { item } of undone) state.cooccurrence.forgetBasketItem(item, all);
    order.items = order.items.filter((line) => !refunded.has(line.item));
    if (order.items.length === 0) state.orders.delete(event.transaction_id);
  },
  RateItem(event, { state, timeMs }) {
    const positive = event.rating >= POSITIVE_RATING * event.scale_max;
    interactWith(
      state,
      state.profileFor(event.user_info, timeMs),
      event.item,
      positive ? KIND.rating : KIND.seen,
      timeMs,
    );
  },
  VideoInteraction(event, { state, timeMs }) {
    const profile = state.profileFor(event.user_info, timeMs);
    // Starting and finishing a video are the signals; pauses and progress only keep the session alive.
    if (event.action === "play" || event.action === "complete")
      interactWith(state, profile, event.item, KIND.view, timeMs);
  },
  ImageInteraction(event, { state, timeMs }) {
    interactWith(state, state.profileFor(event.user_info, timeMs), event.item, KIND.view, timeMs);
  },
  OtherInteraction(event, { state, timeMs }) {
    interactWith(state, state.profileFor(event.user_info, timeMs), event.item, KIND.other, timeMs);
  },
};

function touchSession(
  event: { user_info: Parameters<EngineState["profileFor"]>[0] },
  { state, timeMs }: { state: EngineState; timeMs: number },
): void {
  state.profileFor(event.user_info, timeMs);
}

function interactWith(
  state: EngineState,
  profile: number,
  ref: ItemRef,
  kind: number,
  timeMs: number,
): number {
  const item = state.catalog.intern(ref.item_id);
  state.interact(profile, item, kind, timeMs);
  return item;
}

function distinct(items: readonly number[]): number[] {
  return [...new Set(items)];
}
