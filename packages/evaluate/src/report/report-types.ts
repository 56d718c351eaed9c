import type { PlacementConfig } from "@sibyl/engine";
import type { RecommenderKind } from "../placements/recommender.js";

/**
 * The content of report.json. Its shape is a contract with the web console and with scripts that compare
 * runs: fields are only ever added. Every figure is a plain number rounded to 6 decimals; times are
 * milliseconds since the epoch. Two runs over the same events with the same parameters give the same report,
 * byte for byte, except `latency_us` and `timing` (wall-clock measurements; both null with `timings: false`).
 */
export interface EvaluationReport {
  format: "sibyl-evaluation-report";
  version: 1;
  /** Only when the caller passes one: the report itself never reads the clock. */
  generated_at: string | null;
  run: RunParameters;
  dataset: DatasetSummary;
  requests: RequestSummary;
  /** The metric columns, in display order. */
  metrics: MetricDefinition[];
  /** One row per compared placement: live placements, then what-ifs, then the baselines. */
  placements: PlacementResult[];
  series: MetricSeries;
  timing: RunTiming | null;
}

export type MetricKey = "hr" | "precision" | "recall" | "ndcg" | "mrr" | "coverage" | "novelty";

export interface MetricDefinition {
  key: MetricKey;
  /** Short column title, K filled in: `NDCG@10`. */
  label: string;
  description: string;
  /** 0–1 share (shown as such) or bits. */
  unit: "ratio" | "bits";
}

export interface RunParameters {
  protocol: "prequential" | "holdout";
  k: number;
  seed: number;
  /** Holdout only. */
  folds: number | null;
  /** Prequential only: the share of events replayed before scoring starts. */
  warmup: number | null;
  targets: string[];
  /** Whether a visitor's earlier items were excluded from every list (and repeat targets skipped). */
  exclude_seen: boolean;
  /** Engine options the run set (the engine's defaults apply to the rest). */
  engine_options: Record<string, unknown>;
}

export interface DatasetSummary {
  /** Where the events came from, as the caller named it (a file name, a data directory). */
  source: string;
  events: number;
  /** Events per type, sorted by type. */
  event_types: Record<string, number>;
  /** Distinct items named by any event. */
  items: number;
  /** Distinct visitors (user id when logged in, else visitor id) with an interaction. */
  visitors: number;
  first_event_time: number | null;
  last_event_time: number | null;
  /** Events matching a target specification. */
  target_events: number;
  /** Events the engine refused to apply (e.g. a request for an unknown placement); the replay went on. */
  refused_events: number;
}

export interface RequestSummary {
  /** Requests scored: each compared placement answered every one. */
  scored: number;
  /**
   * Target events not scored, by reason: `warmup` (before scoring started), `repeat` (every item already seen
   * by the visitor, with exclude_seen), `no_new_items` (holdout: all test items were training items too),
   * `non_personalized` (privacy mode: there is no visitor to ask for).
   */
  skipped: Record<string, number>;
}

export interface PlacementResult {
  /** `home_for_you`, `what-if:<label>`, `baseline:popular`, `baseline:random`. */
  id: string;
  kind: RecommenderKind;
  description: string;
  /** Whether its requests carried the visitor's latest item as the context item. */
  context: "last-item" | "none";
  /** Requests scored (the same for every placement of a run). */
  requests: number;
  metrics: Record<MetricKey, number>;
  /** Answer time in microseconds; null when timings were off. */
  latency_us: { p50: number; p99: number } | null;
  /** The configuration evaluated (placements and what-ifs). */
  config: PlacementConfig | null;
}

/** Accuracy over the run: by time for prequential runs, by fold for holdout runs. */
export interface MetricSeries {
  axis: "time" | "fold";
  points: SeriesPoint[];
}

export interface SeriesPoint {
  /** `1`, `2` … for time buckets (equal numbers of requests), `fold 1` … for folds. */
  label: string;
  /** Time of the first and last request in the point. */
  from_time: number | null;
  to_time: number | null;
  requests: number;
  /** Per placement id: the accuracy metrics over this point's requests. */
  values: Record<string, Record<"hr" | "precision" | "recall" | "ndcg" | "mrr", number>>;
}

export interface RunTiming {
  /** Wall-clock time of the whole evaluation. */
  duration_ms: number;
  /** Events replayed into the engine per second (every fold counted). */
  events_per_second: number;
  /** Scored requests per second, every compared placement answered. */
  requests_per_second: number;
}
