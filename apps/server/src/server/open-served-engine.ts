import { hostname } from "node:os";
import { type DurableEngine, type LogFileSystem, nodeFileSystem, openEngine } from "@sibyl/engine";
import { KafkaLog } from "@sibyl/kafka";
import type { ServerConfig } from "../config/server-config.js";
import type { ServerMetrics } from "../http/metrics.js";
import type { ReplicationMetrics } from "../http/replication-metrics.js";

/** How often a retried failure (Kafka, or a log write behind an answer) is written to the server's output at most. */
const RETRY_REPORT_MS = 10_000;

/**
 * Opens the engine `sibyl serve` runs: on the data directory's file log, or as a replica on a Kafka partition.
 */
export async function openServedEngine(
  config: ServerConfig,
  metrics: ServerMetrics,
  replication: ReplicationMetrics,
  announce: (line: string) => void,
): Promise<DurableEngine> {
  const snapshots = {
    snapshotEvery: config.snapshotEvery,
    snapshotIntervalMs: config.snapshotIntervalMs,
    onSnapshot: ({ seconds, bytes }: { seconds: number; bytes: number }) => {
      metrics.snapshotSeconds.observe(seconds);
      metrics.snapshotBytes.set(bytes);
    },
  };
  if (config.log === "file") {
    let backgroundReportedAt = Number.NEGATIVE_INFINITY;
    let backgroundUnreported = 0;
    return openEngine({
      dataDir: config.dataDir,
      durability: config.durability,
      skipCorrupt: config.skipCorrupt,
      fs: timedFsync(metrics),
      ...snapshots,
      onBackgroundError: (error) => {
        metrics.backgroundErrors.inc();
        // A full disk fails every retry: report the first, then a summary now and then.
        const now = performance.now();
        if (now - backgroundReportedAt < RETRY_REPORT_MS) {
          backgroundUnreported++;
          return;
        }
        const more = backgroundUnreported > 0 ? ` (${backgroundUnreported} more since the last report)` : "";
        announce(`writing behind an answer failed, kept and retried${more}: ${error.message}`);
        backgroundReportedAt = now;
        backgroundUnreported = 0;
      },
    });
  }
  let reportedAt = Number.NEGATIVE_INFINITY;
  let unreported = 0;
  const log = new KafkaLog({
    brokers: config.kafkaBrokers,
    topic: config.kafkaTopic,
    partition: config.kafkaPartition,
    clientId: `sibyl-${hostname()}`,
    onRetry: (error, operation) => {
      replication.retries.inc({ operation });
      // A broker restart means a retry every few hundred ms: report the first, then a summary now and then.
      const now = performance.now();
      if (now - reportedAt < RETRY_REPORT_MS) {
        unreported++;
        return;
      }
      announce(
        `kafka ${operation} failed, retrying${unreported > 0 ? ` (${unreported} more since the last report)` : ""}: ${error.message}`,
      );
      reportedAt = now;
      unreported = 0;
    },
  });
  return openEngine({
    dataDir: config.dataDir,
    log,
    ...snapshots,
    onReadError: (error, fatal) =>
      announce(fatal ? `replica stopped reading ${log.name}: ${error.message}` : `replica: ${error.message}`),
  });
}

/** The log's file system, with every fsync timed into sibyl_log_fsync_seconds. */
function timedFsync(metrics: ServerMetrics): LogFileSystem {
  return {
    ...nodeFileSystem,
    async fsync(fd) {
      const started = performance.now();
      try {
        await nodeFileSystem.fsync(fd);
      } finally {
        metrics.fsyncSeconds.observe((performance.now() - started) / 1000);
      }
    },
  };
}
