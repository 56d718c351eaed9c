import { behaviourReducers } from "./behaviour.js";
import { catalogReducers } from "./catalog.js";
import { configReducers } from "./config.js";
import { identityReducers } from "./identity.js";
import type { ReducerTable } from "./reducer.js";
import { recoReducers } from "./reco.js";

export const REDUCERS: ReducerTable = {
  ...catalogReducers,
  ...behaviourReducers,
  ...recoReducers,
  ...configReducers,
  ...identityReducers,
};
