export type { AttributionCounts, PlacementAttribution } from "./attribution/attribution.js";
export {
  type ApplyOutcome,
  type BatchResult,
  createEngine,
  type Engine,
  type RecommendInput,
} from "./engine.js";
export {
  InvalidFilterError,
  InvalidRequestError,
  SibylEngineError,
  UnknownPlacementError,
} from "./errors/engine-errors.js";
export type { HistoryEntry, ItemInspection, NeighbourView, VisitorInspection } from "./inspect/inspect.js";
export { DEFAULT_OPTIONS, type EngineOptions, type Normalisation, type ResolvedOptions } from "./options.js";
export { DEFAULT_PLACEMENTS, type PlacementConfig } from "./placements/default-placements.js";
export type { EngineStats } from "./stats/stats.js";
