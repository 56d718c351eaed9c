import { OfflineLists } from "../state/offline-lists.js";
import type { Strategy } from "./strategy.js";

/**
 * Lists computed elsewhere and imported with OfflineRecommendationsUpsert: the visitor's (or user's) list and the
 * lists of the context items, in their imported order.
 */
export const offline: Strategy = (request, params, out) => {
  const { state } = request;
  const listName = params.list_name ?? "default";
  const keys: { key: string; context: number }[] = [];
  const owner = request.profile >= 0 ? state.visitors.describe(request.profile) : undefined;
  if (owner) keys.push({ key: OfflineLists.key(owner.kind, owner.id, listName), context: -1 });
  for (const item of request.contextItems) {
    keys.push({ key: OfflineLists.key("item", state.catalog.itemId(item), listName), context: item });
  }
  for (const { key, context } of keys) {
    const list = state.offline.get(key, request.nowMs);
    if (!list) continue;
    for (const [rank, item] of list.items.entries()) out.offer(item, list.items.length - rank, context);
  }
};
