import { OfflineLists } from "../state/offline-lists.js";
import type { ReducerGroup } from "./reducer.js";

type ConfigType =
  | "PlacementUpsert"
  | "PlacementRemove"
  | "OfflineRecommendationsUpsert"
  | "OfflineRecommendationsRemove";

export const configReducers: ReducerGroup<ConfigType> = {
  PlacementUpsert(event, { state }) {
    const { event_type: _type, event_id: _id, event_time: _time, ...config } = event;
    state.placements.upsert(config);
  },
  PlacementRemove(event, { state }) {
    state.placements.remove(event.placement_id);
  },
  OfflineRecommendationsUpsert(event, { state }) {
    const ranked = [...event.items].sort((a, b) => b.score - a.score);
    state.offline.set(OfflineLists.key(event.key_type, event.key, event.list_name), {
      items: ranked.map((entry) => state.catalog.intern(entry.item_id)),
      scores: ranked.map((entry) => entry.score),
      expiresAt: event.expires_at ?? Number.POSITIVE_INFINITY,
    });
  },
  OfflineRecommendationsRemove(event, { state }) {
    state.offline.delete(OfflineLists.key(event.key_type, event.key, event.list_name));
  },
};
