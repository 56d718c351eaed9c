import type { DurableEngine } from "@sibyl/engine";
import { Counter, Gauge, type Registry } from "prom-client";

/** Metrics of a replica on a Kafka partition; they read 0 on the file log. */
export class ReplicationMetrics {
  readonly retries: Counter<"operation">;

  constructor(registry: Registry, engine: () => DurableEngine | undefined) {
    const status = () => engine()?.replication() ?? null;
    new Gauge({
      name: "sibyl_kafka_consumer_lag",
      help: "Records in the Kafka partition this replica has not applied yet (as of its last read).",
      registers: [registry],
      collect() {
        this.set(status()?.lag ?? 0);
      },
    });
    new Gauge({
      name: "sibyl_kafka_log_end_offset",
      help: "The Kafka partition's end offset (high watermark) as this replica last read it.",
      registers: [registry],
      collect() {
        this.set(status()?.end ?? 0);
      },
    });
    new Gauge({
      name: "sibyl_kafka_next_offset",
      help: "The offset of the next record this replica applies: everything before it is in its state.",
      registers: [registry],
      collect() {
        this.set(status()?.nextOffset ?? 0);
      },
    });
    new Gauge({
      name: "sibyl_kafka_read_age_seconds",
      help: "Time since this replica last reached its Kafka partition (-1 before the first read).",
      registers: [registry],
      collect() {
        const lastReadAt = status()?.lastReadAt ?? null;
        this.set(lastReadAt === null ? -1 : (Date.now() - lastReadAt) / 1000);
      },
    });
    new Gauge({
      name: "sibyl_kafka_skipped_records",
      help: "Records of the partition skipped because they are not Sibyl events, since start.",
      registers: [registry],
      collect() {
        this.set(status()?.skipped ?? 0);
      },
    });
    this.retries = new Counter({
      name: "sibyl_kafka_retries_total",
      help: "Kafka requests that failed and were retried (a broker restarting, a leader moving), by operation.",
      labelNames: ["operation"] as const,
      registers: [registry],
    });
  }
}
