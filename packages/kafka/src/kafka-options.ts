import type { ConnectionOptions } from "@platformatic/kafka";

/** Where a Sibyl event log lives in Kafka, and how to reach it. */
export interface KafkaLogOptions {
  /** Bootstrap brokers, "host:port". */
  brokers: readonly string[];
  /** The topic holding the event log. */
  topic: string;
  /** The partition: one partition is one independent log, and one engine. Default 0. */
  partition?: number;
  /** Client id the brokers see (logs, quotas). Default "sibyl". */
  clientId?: string;
  /**
   * Largest produce request in bytes: a larger append is sent as several requests, one after another. Must stay
   * under the topic's max.message.bytes (Kafka's default is 1 MiB). Default 900 KiB.
   */
  maxRequestBytes?: number;
  /** How long a read at the end of the partition waits for new records, in ms. Default 250. */
  maxWaitMs?: number;
  /** Most bytes one read returns. Default 8 MiB. */
  fetchMaxBytes?: number;
  /** Timeout of one request to a broker, in ms. Default 10,000. */
  requestTimeoutMs?: number;
  /** Retries of a failed produce before the append fails (spaced by `retryDelayMs`). Default 20. */
  retries?: number;
  /** Pause between retries, in ms; reads retry at this pace for as long as they are not stopped. Default 250. */
  retryDelayMs?: number;
  /** TLS and SASL for the connections, as @platformatic/kafka takes them. */
  connection?: Pick<ConnectionOptions, "tls" | "tlsServerName" | "sasl" | "connectTimeout">;
  /** Told about every failure that is retried (a broker restarting), for logs and metrics. */
  onRetry?: (error: Error, operation: "produce" | "fetch" | "close") => void;
}

export interface ResolvedKafkaLogOptions
  extends Required<Omit<KafkaLogOptions, "brokers" | "connection" | "onRetry">> {
  brokers: string[];
  connection: KafkaLogOptions["connection"];
  onRetry: KafkaLogOptions["onRetry"];
}

export function resolveKafkaLogOptions(options: KafkaLogOptions): ResolvedKafkaLogOptions {
  const resolved = {
    brokers: [...options.brokers],
    topic: options.topic,
    partition: options.partition ?? 0,
    clientId: options.clientId ?? "sibyl",
    maxRequestBytes: options.maxRequestBytes ?? 900 * 1024,
    maxWaitMs: options.maxWaitMs ?? 250,
    fetchMaxBytes: options.fetchMaxBytes ?? 8 * 1024 * 1024,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    retries: options.retries ?? 20,
    retryDelayMs: options.retryDelayMs ?? 250,
    connection: options.connection,
    onRetry: options.onRetry,
  };
  if (resolved.brokers.length === 0)
    throw new RangeError("brokers: name at least one Kafka broker (host:port)");
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(resolved.topic))
    throw new RangeError(`topic: "${resolved.topic}" is not a Kafka topic name`);
  if (!Number.isInteger(resolved.partition) || resolved.partition < 0)
    throw new RangeError(`partition must be a non-negative integer, got ${resolved.partition}`);
  for (const key of [
    "maxRequestBytes",
    "maxWaitMs",
    "fetchMaxBytes",
    "requestTimeoutMs",
    "retryDelayMs",
  ] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1)
      throw new RangeError(`${key} must be a positive integer, got ${resolved[key]}`);
  }
  if (!Number.isInteger(resolved.retries) || resolved.retries < 0)
    throw new RangeError(`retries must be a non-negative integer, got ${resolved.retries}`);
  return resolved;
}

/** The name a Kafka log goes by in snapshots, errors and metrics. */
export function kafkaLogName(topic: string, partition: number): string {
  return `kafka:${topic}/${partition}`;
}
