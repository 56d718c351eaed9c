import { DEFAULT_OPTIONS, type EngineOptions, type PlacementConfig } from "@sibyl/engine";
import type { InteractionKind } from "@sibyl/events";
import { InvalidOptionError } from "../errors/evaluation-errors.js";
import type { ContextOption, WhatIfPlacement } from "../placements/engine-placements.js";
import { DEFAULT_TARGETS, parseTarget, type TargetSpec } from "../targets/target-spec.js";

export type Protocol = "prequential" | "holdout";

export interface EvaluationOptions {
  protocol: Protocol;
  /** Live placements to compare (default placements or ones the events define). Default: home_for_you and product_page_similar. */
  placements?: readonly string[];
  /** Placement configurations that are not live, each answered through the engine's preview. */
  whatIf?: readonly WhatIfPlacement[];
  /** Length of every list and the K of every metric. Default 10. */
  k?: number;
  /** Seeds the holdout split and the random baseline. Default 42. */
  seed?: number;
  /** Holdout: number of folds; each visitor's interactions are split into this many parts. Default 5. */
  folds?: number;
  /** Prequential: share of the events replayed before scoring starts. Default 0.2. */
  warmup?: number;
  /** Which events are targets, e.g. `RateItem:rating>=4`, `PurchaseComplete`. Default DEFAULT_TARGETS. */
  targets?: readonly string[];
  /** Exclude a visitor's earlier items from every list and skip repeat targets. Default true. */
  excludeSeen?: boolean;
  /** Which placements get the visitor's latest item as context. Default `auto`. */
  context?: ContextOption;
  /** Options of the engine the events are replayed into. */
  engineOptions?: EngineOptions;
  /** Measure answer latency and throughput (the only figures that differ between identical runs). Default true. */
  timings?: boolean;
  /** Points of the prequential series (each an equal share of the requests). Default 20. */
  seriesPoints?: number;
  /** Names the input in the report. Default "events". */
  source?: string;
  /** Stamped into the report as given; the report never reads the clock. */
  generatedAt?: string;
  /** Called now and then with how far the replay is. */
  onProgress?: (progress: EvaluationProgress) => void;
}

export interface EvaluationProgress {
  /** `replay` (prequential) or `fold 2/5` (holdout). */
  phase: string;
  events: number;
  totalEvents: number;
  requests: number;
}

export interface ResolvedEvaluationOptions {
  protocol: Protocol;
  placements: readonly string[];
  whatIf: readonly WhatIfPlacement[];
  k: number;
  seed: number;
  folds: number;
  warmup: number;
  targets: readonly TargetSpec[];
  excludeSeen: boolean;
  context: ContextOption;
  /** As the caller set them: what the report shows. */
  engineOptions: EngineOptions;
  /** What the replays use: the caller's options, plus the co-occurrence pairs the what-ifs read. */
  replayEngineOptions: EngineOptions;
  timings: boolean;
  seriesPoints: number;
  source: string;
  generatedAt: string | undefined;
  onProgress: ((progress: EvaluationProgress) => void) | undefined;
}

export const DEFAULT_EVALUATED_PLACEMENTS = ["home_for_you", "product_page_similar"];

/** Fills in defaults and checks ranges; throws InvalidOptionError or InvalidTargetError naming the option. */
export function resolveEvaluationOptions(options: EvaluationOptions): ResolvedEvaluationOptions {
  if (options.protocol !== "prequential" && options.protocol !== "holdout")
    throw new InvalidOptionError("protocol", `"${String(options.protocol)}" is not prequential or holdout`);
  const k = options.k ?? 10;
  integerAtLeast("k", k, 1);
  const folds = options.folds ?? 5;
  integerAtLeast("folds", folds, 2);
  const seed = options.seed ?? 42;
  if (!Number.isSafeInteger(seed)) throw new InvalidOptionError("seed", `${seed} is not an integer`);
  const warmup = options.warmup ?? 0.2;
  if (!(warmup >= 0 && warmup < 1)) throw new InvalidOptionError("warmup", `${warmup} is not in [0, 1)`);
  const seriesPoints = options.seriesPoints ?? 20;
  integerAtLeast("seriesPoints", seriesPoints, 1);
  const whatIf = options.whatIf ?? [];
  const placements = options.placements ?? DEFAULT_EVALUATED_PLACEMENTS;
  const ids = [...placements, ...whatIf.map((entry) => `what-if:${entry.label}`)];
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate !== undefined) throw new InvalidOptionError("placements", `"${duplicate}" is compared twice`);
  const targets = (options.targets ?? DEFAULT_TARGETS).map(parseTarget);
  if (targets.length === 0) throw new InvalidOptionError("targets", "name at least one target event");
  return {
    protocol: options.protocol,
    placements,
    whatIf,
    k,
    seed,
    folds,
    warmup,
    targets,
    excludeSeen: options.excludeSeen ?? true,
    context: options.context ?? "auto",
    engineOptions: options.engineOptions ?? {},
    replayEngineOptions: withPairsOf(options.engineOptions ?? {}, whatIf),
    timings: options.timings ?? true,
    seriesPoints,
    source: options.source ?? "events",
    generatedAt: options.generatedAt,
    onProgress: options.onProgress,
  };
}

function integerAtLeast(option: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum)
    throw new InvalidOptionError(option, `${value} is not an integer ≥ ${minimum}`);
}

/**
 * A live placement's pairs of interaction kinds are counted from the moment it is defined; a what-if is never
 * defined, so the pairs it reads are counted from the start of the replay, as if it had been live all along.
 * Counting a pair more changes no other pair's table, so the live placements answer as they would anyway.
 */
function withPairsOf(engineOptions: EngineOptions, whatIf: readonly WhatIfPlacement[]): EngineOptions {
  const pairs = [...(engineOptions.cooccurrencePairs ?? DEFAULT_OPTIONS.cooccurrencePairs)];
  const tracked = new Set(pairs.map(([from, to]) => `${from}>${to}`));
  for (const { config } of whatIf) {
    for (const pair of pairsRead(config)) {
      if (tracked.has(`${pair[0]}>${pair[1]}`)) continue;
      tracked.add(`${pair[0]}>${pair[1]}`);
      pairs.push(pair);
    }
  }
  const before = engineOptions.cooccurrencePairs ?? DEFAULT_OPTIONS.cooccurrencePairs;
  return pairs.length === before.length ? engineOptions : { ...engineOptions, cooccurrencePairs: pairs };
}

/** The pairs a placement reads, by the rule the engine applies when one is defined. */
function pairsRead(config: PlacementConfig): [InteractionKind, InteractionKind][] {
  const pairs: [InteractionKind, InteractionKind][] = [];
  for (const strategy of [...config.strategies, ...(config.fallback ?? [])]) {
    const params = strategy.params ?? {};
    const readsPairs = strategy.strategy === "cooccurrence" || strategy.strategy === "session";
    if (
      (readsPairs && !params.same_transaction) ||
      params.from_kind !== undefined ||
      params.to_kind !== undefined
    )
      pairs.push([params.from_kind ?? "view", params.to_kind ?? "view"]);
  }
  return pairs;
}
