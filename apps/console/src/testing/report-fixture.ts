// Test support (not part of the console): a report.json as @sibyl/evaluate writes it (typed by its contract).
import type { EvaluationReport } from "@sibyl/evaluate";

const metrics = (scale: number) => ({
  hr: 0.4 * scale,
  precision: 0.05 * scale,
  recall: 0.3 * scale,
  ndcg: 0.2 * scale,
  mrr: 0.15 * scale,
  coverage: 0.6 * scale,
  novelty: 9.5 * scale,
});

export function reportFixture(): EvaluationReport {
  const ids = ["home_for_you", "baseline:popular"];
  return {
    format: "sibyl-evaluation-report",
    version: 1,
    generated_at: null,
    run: {
      protocol: "prequential",
      k: 10,
      seed: 42,
      folds: null,
      warmup: 0.2,
      targets: ["DetailItemView"],
      exclude_seen: true,
      engine_options: {},
    },
    dataset: {
      source: "otto-sample/train.jsonl",
      events: 862,
      event_types: { DetailItemView: 800, AddToCart: 52, PurchaseComplete: 10 },
      items: 510,
      visitors: 20,
      first_event_time: Date.UTC(2022, 7, 1),
      last_event_time: Date.UTC(2022, 7, 28),
      target_events: 800,
      refused_events: 0,
    },
    requests: { scored: 600, skipped: { warmup: 160, repeat: 40 } },
    metrics: [
      { key: "hr", label: "HR@10", description: "Share of requests with a hit.", unit: "ratio" },
      { key: "ndcg", label: "NDCG@10", description: "Discounted gain of the hits.", unit: "ratio" },
      { key: "novelty", label: "Novelty", description: "Self-information of the items.", unit: "bits" },
    ],
    placements: ids.map((id, index) => ({
      id,
      kind: index === 0 ? "placement" : "baseline",
      description: index === 0 ? "Recommended for you." : "Most interactions so far.",
      context: "none",
      requests: 600,
      metrics: metrics(index === 0 ? 1 : 0.5),
      latency_us: { p50: 40 + index, p99: 120 + index },
      config: null,
    })) as EvaluationReport["placements"],
    series: {
      axis: "time",
      points: [1, 2, 3].map((point) => ({
        label: String(point),
        from_time: Date.UTC(2022, 7, point * 7),
        to_time: Date.UTC(2022, 7, point * 7 + 6),
        requests: 200,
        values: Object.fromEntries(
          ids.map((id, index) => [id, { ...metrics((point / 3) * (index === 0 ? 1 : 0.5)) }]),
        ),
      })),
    },
    timing: { duration_ms: 1500, events_per_second: 574.7, requests_per_second: 400 },
  };
}
