import { readFileSync } from "node:fs";
import type { Durability } from "@sibyl/engine";

/** Everything `sibyl serve` can be told; see `sibyl serve --help` and the README for each option. */
export interface ServerConfig {
  dataDir: string;
  host: string;
  port: number;
  durability: Durability;
  /** Public keys a browser may hold: behaviour events and recommendation requests only. */
  trackingKeys: string[];
  /** Private keys: everything, including catalog, placements, identity and inspection. */
  serverKeys: string[];
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Largest NDJSON line (one event), in bytes. */
  maxLineBytes: number;
  /** Most events in one request. */
  maxBatchEvents: number;
  /** Request body bytes being processed at once; beyond it requests are turned away with 503 + Retry-After. */
  maxInFlightBytes: number;
  snapshotEvery: number;
  snapshotIntervalMs: number;
  skipCorrupt: boolean;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Origins allowed to call the API from a browser ("*" for any). */
  corsOrigin: string;
  /**
   * Where the event log lives: `file`, the data directory's own (the default), or `kafka`, a topic partition
   * that several servers share as replicas (the data directory then holds only their snapshots).
   */
  log: "file" | "kafka";
  /** kafka: bootstrap brokers, host:port. */
  kafkaBrokers: string[];
  /** kafka: the topic holding the event log. */
  kafkaTopic: string;
  /** kafka: the partition — one partition is one independent engine. */
  kafkaPartition: number;
  /** kafka: records a replica may be behind its partition and still be ready to answer. */
  maxLag: number;
}

export const DEFAULT_CONFIG: ServerConfig = {
  dataDir: "./.sibyl-data",
  host: "127.0.0.1",
  port: 8080,
  durability: "always",
  trackingKeys: [],
  serverKeys: [],
  maxBodyBytes: 16 * 1024 * 1024,
  maxLineBytes: 256 * 1024,
  maxBatchEvents: 10_000,
  maxInFlightBytes: 128 * 1024 * 1024,
  snapshotEvery: 1_000_000,
  snapshotIntervalMs: 10 * 60_000,
  skipCorrupt: false,
  logLevel: "info",
  corsOrigin: "*",
  log: "file",
  kafkaBrokers: [],
  kafkaTopic: "sibyl-events",
  kafkaPartition: 0,
  maxLag: 1_000,
};

export class ConfigError extends Error {}

/**
 * One precedence for every setting: command-line flag, then `SIBYL_*` environment variable, then the config file
 * (`--config` / `SIBYL_CONFIG`, JSON with the same names), then the default.
 */
export function resolveConfig(fromCommandLine: Partial<ServerConfig>, configFile?: string): ServerConfig {
  const file = configFile === undefined ? {} : readConfigFile(configFile);
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const source of [file, fromCommandLine]) {
    for (const [key, value] of Object.entries(source)) if (value !== undefined) merged[key] = value;
  }
  return validate(merged as unknown as ServerConfig);
}

function readConfigFile(path: string): Partial<ServerConfig> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path} must hold a JSON object`);
  }
  const unknown = Object.keys(parsed).filter((key) => !(key in DEFAULT_CONFIG));
  if (unknown.length > 0)
    throw new ConfigError(`config file ${path}: unknown setting(s) ${unknown.join(", ")}`);
  return parsed as Partial<ServerConfig>;
}

function validate(config: ServerConfig): ServerConfig {
  const positive = ["port", "maxBodyBytes", "maxLineBytes", "maxBatchEvents", "maxInFlightBytes"] as const;
  for (const key of positive) {
    if (!Number.isInteger(config[key]) || config[key] < (key === "port" ? 0 : 1)) {
      throw new ConfigError(`${key} must be a positive integer, got ${String(config[key])}`);
    }
  }
  if (!["always", "interval", "none"].includes(config.durability)) {
    throw new ConfigError(`durability must be always, interval or none, got ${String(config.durability)}`);
  }
  validateLog(config);
  for (const key of [...config.trackingKeys, ...config.serverKeys]) {
    if (key.length < 16) throw new ConfigError("keys must be at least 16 characters long");
  }
  return config;
}

function validateLog(config: ServerConfig): void {
  if (config.log !== "file" && config.log !== "kafka")
    throw new ConfigError(`log must be file or kafka, got ${String(config.log)}`);
  for (const key of ["kafkaPartition", "maxLag"] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 0)
      throw new ConfigError(`${key} must be a non-negative integer, got ${String(config[key])}`);
  }
  if (config.log !== "kafka") return;
  if (config.kafkaBrokers.length === 0)
    throw new ConfigError(
      "log kafka needs brokers: --kafka-brokers host:port[,host:port…] or SIBYL_KAFKA_BROKERS",
    );
  for (const broker of config.kafkaBrokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker)) throw new ConfigError(`kafka broker "${broker}" is not host:port`);
  }
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(config.kafkaTopic))
    throw new ConfigError(`kafkaTopic "${config.kafkaTopic}" is not a Kafka topic name`);
}
