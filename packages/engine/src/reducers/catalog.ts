import type { ReducerGroup } from "./reducer.js";

export const catalogReducers: ReducerGroup<
  "ItemUpsert" | "ItemPatch" | "ItemRemove" | "ChangeItemStockState"
> = {
  ItemUpsert(event, { state }) {
    const { item, previous, record } = state.catalog.upsert(event);
    state.reindex(item, previous, record);
  },
  ItemPatch(event, { state }) {
    const { item, previous, record } = state.catalog.patch(event);
    state.reindex(item, previous, record);
  },
  ItemRemove(event, { state }) {
    const item = state.catalog.remove(event.item_id);
    state.text.remove(item);
  },
  ChangeItemStockState(event, { state }) {
    state.catalog.setStock(state.catalog.intern(event.item_id), event.in_stock, event.available_at);
  },
};
