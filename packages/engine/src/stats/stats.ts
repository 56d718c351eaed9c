import type { PlacementAttribution } from "../attribution/attribution.js";
import type { EngineState } from "../state/engine-state.js";

export interface EngineStats {
  /** Applied events per event type. */
  events: Record<string, number>;
  totalEvents: number;
  /** Events ignored because their event_id was applied within the dedupe window. */
  duplicates: number;
  /** Items the engine knows (catalogued or seen in behaviour events). */
  items: number;
  /** Items with a catalog entry. */
  catalogued: number;
  /** Visitor and user profiles. */
  visitors: number;
  placements: number;
  /** Per placement (and per strategy): requests, impressions, clicks, carts, purchases, revenue. */
  attribution: PlacementAttribution[];
  /** Shows, clicks, carts and purchases naming a rec_id the engine no longer (or never) knew. */
  unattributed: number;
  /** The latest event_time applied, ms since the epoch. */
  now: number;
}

export function engineStats(state: EngineState): EngineStats {
  const events = Object.fromEntries([...state.eventCounts].sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    events,
    totalEvents: [...state.eventCounts.values()].reduce((sum, count) => sum + count, 0),
    duplicates: state.duplicates,
    items: state.catalog.ids.size,
    catalogued: state.catalog.catalogued,
    visitors: state.visitors.profiles.size,
    placements: state.placements.list().length,
    attribution: state.attribution.report(),
    unattributed: state.attribution.unattributed,
    now: state.now,
  };
}
