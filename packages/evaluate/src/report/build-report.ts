import type { SibylEvent } from "@sibyl/events";
import type { ResolvedEvaluationOptions } from "../protocols/evaluation-options.js";
import type { ProtocolRun } from "../protocols/protocol-run.js";
import { interactionOf } from "../targets/interactions.js";
import { isTarget } from "../targets/target-spec.js";
import type {
  DatasetSummary,
  EvaluationReport,
  MetricDefinition,
  MetricSeries,
  PlacementResult,
  RunTiming,
} from "./report-types.js";

/** Six decimals: more than any figure here means, and the same text on every machine. */
export function round6(value: number): number {
  const rounded = Math.round(value * 1e6) / 1e6;
  return Object.is(rounded, -0) ? 0 : rounded;
}

export function metricDefinitions(k: number): MetricDefinition[] {
  return [
    {
      key: "hr",
      label: `HR@${k}`,
      description: "share of requests with a relevant item in the top K",
      unit: "ratio",
    },
    { key: "precision", label: `P@${k}`, description: "relevant items in the top K, over K", unit: "ratio" },
    {
      key: "recall",
      label: `R@${k}`,
      description: "relevant items in the top K, over all relevant items",
      unit: "ratio",
    },
    {
      key: "ndcg",
      label: `NDCG@${k}`,
      description: "discounted cumulative gain over the ideal ranking",
      unit: "ratio",
    },
    {
      key: "mrr",
      label: `MRR@${k}`,
      description: "mean of 1 / rank of the first relevant item (0 past K)",
      unit: "ratio",
    },
    {
      key: "coverage",
      label: "coverage",
      description: "share of the catalog recommended at least once",
      unit: "ratio",
    },
    {
      key: "novelty",
      label: "novelty",
      description: "mean self-information of recommended items",
      unit: "bits",
    },
  ];
}

export function summariseDataset(
  events: readonly SibylEvent[],
  options: ResolvedEvaluationOptions,
  refused: number,
): DatasetSummary {
  const types = new Map<string, number>();
  const items = new Set<string>();
  const visitors = new Set<string>();
  let first: number | null = null;
  let last: number | null = null;
  let targets = 0;
  for (const event of events) {
    types.set(event.event_type, (types.get(event.event_type) ?? 0) + 1);
    if (event.event_time !== undefined) {
      first = first === null ? event.event_time : Math.min(first, event.event_time);
      last = last === null ? event.event_time : Math.max(last, event.event_time);
    }
    if (event.event_type === "ItemUpsert") items.add(event.item_id);
    const interaction = interactionOf(event);
    if (!interaction) continue;
    for (const item of interaction.items) items.add(item);
    if (interaction.personal) visitors.add(interaction.visitor);
    if (isTarget(event, options.targets)) targets++;
  }
  return {
    source: options.source,
    events: events.length,
    event_types: Object.fromEntries([...types].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    items: items.size,
    visitors: visitors.size,
    first_event_time: first,
    last_event_time: last,
    target_events: targets,
    refused_events: refused,
  };
}

function buildSeries(run: ProtocolRun, options: ResolvedEvaluationOptions): MetricSeries {
  const { scorer } = run;
  const total = scorer.requests;
  const ranges: { label: string; from: number; to: number }[] = [];
  if (options.protocol === "holdout") {
    let from = 0;
    for (let fold = 0; fold < options.folds; fold++) {
      let to = from;
      while (to < total && scorer.groups.at(to) === fold) to++;
      ranges.push({ label: `fold ${fold + 1}`, from, to });
      from = to;
    }
  } else {
    const points = Math.min(options.seriesPoints, total);
    for (let point = 0; point < points; point++) {
      ranges.push({
        label: String(point + 1),
        from: Math.floor((point * total) / points),
        to: Math.floor(((point + 1) * total) / points),
      });
    }
  }
  return {
    axis: options.protocol === "holdout" ? "fold" : "time",
    points: ranges.map(({ label, from, to }) => ({
      label,
      from_time: to > from ? scorer.times.at(from) : null,
      to_time: to > from ? scorer.times.at(to - 1) : null,
      requests: to - from,
      values: Object.fromEntries(
        scorer.compared.map(({ recommender }) => {
          const accuracy = scorer.tallies.get(recommender.id)!.accuracy(from, to);
          return [
            recommender.id,
            {
              hr: round6(accuracy.hr),
              precision: round6(accuracy.precision),
              recall: round6(accuracy.recall),
              ndcg: round6(accuracy.ndcg),
              mrr: round6(accuracy.mrr),
            },
          ];
        }),
      ),
    })),
  };
}

/** Assembles report.json from a finished protocol run. `durationMs` only when timings are on. */
export function buildReport(
  events: readonly SibylEvent[],
  options: ResolvedEvaluationOptions,
  run: ProtocolRun,
  durationMs: number | undefined,
): EvaluationReport {
  const dataset = summariseDataset(events, options, run.refused);
  const placements: PlacementResult[] = run.scorer.compared.map(({ recommender, config }) => {
    const tally = run.scorer.tallies.get(recommender.id)!;
    const values = tally.values(dataset.items);
    const latency = options.timings ? tally.latency() : undefined;
    return {
      id: recommender.id,
      kind: recommender.kind,
      description: recommender.description,
      context: recommender.context,
      requests: tally.requests,
      metrics: {
        hr: round6(values.hr),
        precision: round6(values.precision),
        recall: round6(values.recall),
        ndcg: round6(values.ndcg),
        mrr: round6(values.mrr),
        coverage: round6(values.coverage),
        novelty: round6(values.novelty),
      },
      latency_us: latency ? { p50: round6(latency.p50), p99: round6(latency.p99) } : null,
      config,
    };
  });
  let timing: RunTiming | null = null;
  if (durationMs !== undefined) {
    const seconds = Math.max(durationMs, 1e-3) / 1000;
    timing = {
      duration_ms: round6(durationMs),
      events_per_second: round6(run.eventsReplayed / seconds),
      requests_per_second: round6(run.scorer.requests / seconds),
    };
  }
  return {
    format: "sibyl-evaluation-report",
    version: 1,
    generated_at: options.generatedAt ?? null,
    run: {
      protocol: options.protocol,
      k: options.k,
      seed: options.seed,
      folds: options.protocol === "holdout" ? options.folds : null,
      warmup: options.protocol === "prequential" ? options.warmup : null,
      targets: options.targets.map((target) => target.text),
      exclude_seen: options.excludeSeen,
      engine_options: { ...options.engineOptions },
    },
    dataset,
    requests: { scored: run.scorer.requests, skipped: { ...run.skipped } },
    metrics: metricDefinitions(options.k),
    placements,
    series: buildSeries(run, options),
    timing,
  };
}
