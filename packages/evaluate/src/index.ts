export { hashSeed, SeededRandom } from "./baselines/seeded-random.js";
export {
  EvaluationError,
  EvaluationInputError,
  InvalidOptionError,
  InvalidTargetError,
  InvalidWhatIfError,
} from "./errors/evaluation-errors.js";
export { type ListScore, scoreList, selfInformation } from "./metrics/ranking-metrics.js";
export { type ContextOption, parseWhatIf, type WhatIfPlacement } from "./placements/engine-placements.js";
export { evaluate } from "./protocols/evaluate.js";
export {
  DEFAULT_EVALUATED_PLACEMENTS,
  type EvaluationOptions,
  type EvaluationProgress,
  type Protocol,
} from "./protocols/evaluation-options.js";
export { ALWAYS_TRAIN, assignFolds } from "./protocols/holdout-split.js";
export { renderHtml } from "./report/render-html.js";
export type {
  DatasetSummary,
  EvaluationReport,
  MetricDefinition,
  MetricKey,
  MetricSeries,
  PlacementResult,
  RequestSummary,
  RunParameters,
  RunTiming,
  SeriesPoint,
} from "./report/report-types.js";
export { summaryTable } from "./report/summary-table.js";
export { writeReport } from "./report/write-report.js";
export { inTimeOrder, readEventLog, readEventsFile } from "./sources/read-events.js";
export { DEFAULT_TARGETS, parseTarget, type TargetSpec } from "./targets/target-spec.js";
