import type { DurableEngine } from "@sibyl/engine";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { LiveStats } from "./live-stats.js";

/** The server's Prometheus metrics (names follow Prometheus conventions: base units, `_total` counters). */
export class ServerMetrics {
  readonly registry = new Registry();
  /** The last minute's rates and latencies, for GET /v1/stats (the console's dashboard). */
  readonly live = new LiveStats();
  readonly events = new Counter({
    name: "sibyl_events_total",
    help: "Events received, by event type and result (accepted, rejected, duplicate).",
    labelNames: ["event_type", "result"] as const,
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: "sibyl_ingest_batch_events",
    help: "Events per ingest request.",
    buckets: [1, 10, 100, 1_000, 10_000],
    registers: [this.registry],
  });
  readonly appendSeconds = new Histogram({
    name: "sibyl_log_append_seconds",
    help: "Time to make an ingest batch durable (write and fsync under the configured durability) and apply it.",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly recommendSeconds = new Histogram({
    name: "sibyl_recommend_duration_seconds",
    help: "Time to answer a recommendation request, by placement.",
    labelNames: ["placement"] as const,
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
    registers: [this.registry],
  });
  readonly recoveryReplayed = new Gauge({
    name: "sibyl_recovery_replayed_events",
    help: "Log records replayed on the last start (after the snapshot it started from).",
    registers: [this.registry],
  });
  readonly fsyncSeconds = new Histogram({
    name: "sibyl_log_fsync_seconds",
    help: "Time of each fsync of the event log (one per group commit under durability always).",
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  readonly backgroundErrors = new Counter({
    name: "sibyl_background_errors_total",
    help: "Failures behind an answer: writing an answered recommendation request to the log (kept and retried), or a snapshot such a request started.",
    registers: [this.registry],
  });
  readonly snapshotSeconds = new Histogram({
    name: "sibyl_snapshot_duration_seconds",
    help: "Time to write a snapshot.",
    buckets: [0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly snapshotBytes = new Gauge({
    name: "sibyl_snapshot_size_bytes",
    help: "Size of the latest snapshot.",
    registers: [this.registry],
  });

  constructor(engine: () => DurableEngine | undefined) {
    collectDefaultMetrics({ register: this.registry });
    const registry = this.registry;
    new Gauge({
      name: "sibyl_items",
      help: "Items the engine knows.",
      registers: [registry],
      collect() {
        this.set(engine()?.stats().items ?? 0);
      },
    });
    new Gauge({
      name: "sibyl_visitors",
      help: "Visitor and user profiles the engine keeps.",
      registers: [registry],
      collect() {
        this.set(engine()?.stats().visitors ?? 0);
      },
    });
    const attribution = (
      name: string,
      help: string,
      field: "requests" | "impressions" | "clicks" | "carts" | "purchases" | "revenue",
    ) =>
      new Gauge({
        name,
        help,
        labelNames: ["placement"] as const,
        registers: [registry],
        collect() {
          this.reset();
          for (const entry of engine()?.stats().attribution ?? [])
            this.set({ placement: entry.placement }, entry[field]);
        },
      });
    attribution(
      "sibyl_placement_requests",
      "Recommendation requests per placement (since the data directory began).",
      "requests",
    );
    attribution(
      "sibyl_placement_impressions",
      "Recommended items shown (RecoShow), per placement.",
      "impressions",
    );
    attribution("sibyl_placement_clicks", "Recommended items clicked (RecoAck), per placement.", "clicks");
    attribution(
      "sibyl_placement_carts",
      "Items added to carts from a recommendation, per placement.",
      "carts",
    );
    attribution(
      "sibyl_placement_purchases",
      "Items bought from a recommendation, per placement.",
      "purchases",
    );
    attribution(
      "sibyl_placement_revenue",
      "Revenue from items bought from a recommendation, per placement.",
      "revenue",
    );
  }
}
