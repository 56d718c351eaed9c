import { recommend } from "../recommend/recommend.js";
import type { ReducerGroup } from "./reducer.js";

export const recoReducers: ReducerGroup<
  "RecoRequest" | "RecoShow" | "RecoAck" | "SmartSearchRequest" | "SmartSearchShow"
> = {
  RecoRequest: (event, { state, candidates, timeMs }) => recommend(state, candidates, event, timeMs),
  SmartSearchRequest: (event, { state, candidates, timeMs }) => recommend(state, candidates, event, timeMs),
  RecoShow(event, { state, timeMs }) {
    state.profileFor(event.user_info, timeMs);
    state.attribution.impressions(
      event.rec_id,
      knownItems(state.catalog.ids.lookup.bind(state.catalog.ids), event.item_ids),
    );
  },
  SmartSearchShow(event, { state, timeMs }) {
    state.profileFor(event.user_info, timeMs);
    state.attribution.impressions(
      event.rec_id,
      knownItems(state.catalog.ids.lookup.bind(state.catalog.ids), event.item_ids),
    );
  },
  RecoAck(event, { state, timeMs }) {
    state.profileFor(event.user_info, timeMs);
    state.attribution.click(event.rec_id, state.catalog.ids.lookup(event.item_id));
  },
};

function knownItems(lookup: (id: string) => number, ids: readonly string[]): number[] {
  return ids.map(lookup).filter((item) => item >= 0);
}
