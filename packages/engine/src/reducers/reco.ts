import { recommend } from "../recommend/recommend.js";
import type { EngineState } from "../state/engine-state.js";
import type { ReducerGroup } from "./reducer.js";

export const recoReducers: ReducerGroup<
  "RecoRequest" | "RecoShow" | "RecoAck" | "SmartSearchRequest" | "SmartSearchShow"
> = {
  RecoRequest: (event, { state, candidates, timeMs }) => recommend(state, candidates, event, timeMs),
  SmartSearchRequest: (event, { state, candidates, timeMs }) => recommend(state, candidates, event, timeMs),
  RecoShow(event, { state, timeMs }) {
    state.profileFor(event.user_info, timeMs);
    state.attribution.impressions(event.rec_id, knownItems(state, event.item_ids));
  },
  SmartSearchShow(event, { state, timeMs }) {
    state.profileFor(event.user_info, timeMs);
    state.attribution.impressions(event.rec_id, knownItems(state, event.item_ids));
  },
  RecoAck(event, { state, timeMs }) {
    state.profileFor(event.user_info, timeMs);
    state.attribution.click(event.rec_id, state.catalog.ids.lookup(event.item_id));
  },
};

function knownItems(state: EngineState, ids: readonly string[]): number[] {
  return ids.map((id) => state.catalog.ids.lookup(id)).filter((item) => item >= 0);
}
