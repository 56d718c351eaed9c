import { Command, Option } from "commander";
import { DEFAULT_CONFIG, resolveConfig, type ServerConfig } from "../config/server-config.js";
import { startServer } from "../server/start-server.js";

const number = (value: string) => Number(value);
const list = (value: string, previous: string[] = []) => [...previous, ...value.split(",").filter(Boolean)];

/** `sibyl serve`: the HTTP server on a data directory. */
export function serveCommand(): Command {
  const option = (flags: string, description: string, env: string, fallback: unknown) =>
    new Option(flags, `${description} (default: ${JSON.stringify(fallback)})`).env(env);
  return new Command("serve")
    .description("serve the HTTP API on a data directory (recovers it first)")
    .addOption(option("-d, --data-dir <dir>", "the data directory", "SIBYL_DATA_DIR", DEFAULT_CONFIG.dataDir))
    .addOption(option("--host <host>", "interface to listen on", "SIBYL_HOST", DEFAULT_CONFIG.host))
    .addOption(
      option("-p, --port <port>", "port (0 picks a free one)", "SIBYL_PORT", DEFAULT_CONFIG.port).argParser(
        number,
      ),
    )
    .addOption(
      option(
        "--durability <mode>",
        "when events are acknowledged: always, interval or none",
        "SIBYL_DURABILITY",
        DEFAULT_CONFIG.durability,
      ).choices(["always", "interval", "none"]),
    )
    .addOption(
      option(
        "--tracking-key <key>",
        "a public tracking key (repeatable, or comma-separated)",
        "SIBYL_TRACKING_KEYS",
        "none: development keys",
      ).argParser(list),
    )
    .addOption(
      option(
        "--server-key <key>",
        "a private server key (repeatable, or comma-separated)",
        "SIBYL_SERVER_KEYS",
        "none: development keys",
      ).argParser(list),
    )
    .addOption(
      option(
        "--max-body-bytes <n>",
        "largest request body",
        "SIBYL_MAX_BODY_BYTES",
        DEFAULT_CONFIG.maxBodyBytes,
      ).argParser(number),
    )
    .addOption(
      option(
        "--max-line-bytes <n>",
        "largest NDJSON line",
        "SIBYL_MAX_LINE_BYTES",
        DEFAULT_CONFIG.maxLineBytes,
      ).argParser(number),
    )
    .addOption(
      option(
        "--max-batch-events <n>",
        "most events per request",
        "SIBYL_MAX_BATCH_EVENTS",
        DEFAULT_CONFIG.maxBatchEvents,
      ).argParser(number),
    )
    .addOption(
      option(
        "--max-in-flight-bytes <n>",
        "request bytes in progress before 503",
        "SIBYL_MAX_IN_FLIGHT_BYTES",
        DEFAULT_CONFIG.maxInFlightBytes,
      ).argParser(number),
    )
    .addOption(
      option(
        "--snapshot-every <events>",
        "snapshot after this many events (0: never)",
        "SIBYL_SNAPSHOT_EVERY",
        DEFAULT_CONFIG.snapshotEvery,
      ).argParser(number),
    )
    .addOption(
      option(
        "--snapshot-interval-ms <ms>",
        "snapshot after this much time (0: never)",
        "SIBYL_SNAPSHOT_INTERVAL_MS",
        DEFAULT_CONFIG.snapshotIntervalMs,
      ).argParser(number),
    )
    .addOption(
      option(
        "--skip-corrupt",
        "start despite corruption in the middle of the log (reported)",
        "SIBYL_SKIP_CORRUPT",
        DEFAULT_CONFIG.skipCorrupt,
      ),
    )
    .addOption(
      option(
        "--log-level <level>",
        "fatal, error, warn, info, debug, trace or silent",
        "SIBYL_LOG_LEVEL",
        DEFAULT_CONFIG.logLevel,
      ),
    )
    .addOption(
      option(
        "--cors-origin <origins>",
        "origins browsers may call from, comma-separated, or *",
        "SIBYL_CORS_ORIGIN",
        DEFAULT_CONFIG.corsOrigin,
      ),
    )
    .addOption(
      option(
        "--log <kind>",
        "the event log: file (the data directory's) or kafka (a partition shared by replicas)",
        "SIBYL_LOG",
        DEFAULT_CONFIG.log,
      ).choices(["file", "kafka"]),
    )
    .addOption(
      option(
        "--kafka-brokers <list>",
        "kafka: bootstrap brokers, host:port, comma-separated",
        "SIBYL_KAFKA_BROKERS",
        DEFAULT_CONFIG.kafkaBrokers,
      ).argParser(list),
    )
    .addOption(
      option(
        "--kafka-topic <topic>",
        "kafka: the event log's topic",
        "SIBYL_KAFKA_TOPIC",
        DEFAULT_CONFIG.kafkaTopic,
      ),
    )
    .addOption(
      option(
        "--kafka-partition <n>",
        "kafka: the partition (one partition, one engine)",
        "SIBYL_KAFKA_PARTITION",
        DEFAULT_CONFIG.kafkaPartition,
      ).argParser(number),
    )
    .addOption(
      option(
        "--max-lag <records>",
        "kafka: records a replica may be behind and still be ready",
        "SIBYL_MAX_LAG",
        DEFAULT_CONFIG.maxLag,
      ).argParser(number),
    )
    .addOption(
      new Option(
        "--config <file>",
        "a JSON file with any of these settings (flags and SIBYL_* variables win)",
      ).env("SIBYL_CONFIG"),
    )
    .action(
      async (
        options: Partial<ServerConfig> & { config?: string; trackingKey?: string[]; serverKey?: string[] },
      ) => {
        const { config: configFile, trackingKey, serverKey, ...flags } = options;
        const config = resolveConfig(
          { ...flags, trackingKeys: trackingKey, serverKeys: serverKey },
          configFile,
        );
        const server = await startServer(config, (line) => console.log(line));
        const log =
          config.log === "kafka"
            ? `log kafka:${config.kafkaTopic}/${config.kafkaPartition} on ${config.kafkaBrokers.join(",")}`
            : `durability ${config.durability}`;
        console.log(`Sibyl listening on ${server.url} (data directory ${config.dataDir}, ${log})`);
        const shutdown = (signal: string) => {
          console.log(`${signal}: draining requests, writing a snapshot …`);
          server.stop().then(
            () => process.exit(0),
            (error: unknown) => {
              console.error(`shutdown failed: ${(error as Error).message}`);
              process.exit(1);
            },
          );
        };
        process.once("SIGTERM", () => shutdown("SIGTERM"));
        process.once("SIGINT", () => shutdown("SIGINT"));
        try {
          await server.ready;
        } catch (error) {
          // Recovery failed (a damaged log, an unreachable Kafka topic): stop listening, so the process exits.
          await server.stop();
          throw error;
        }
      },
    );
}
