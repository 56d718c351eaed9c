import { Admin } from "@platformatic/kafka";
import { kafkaErrorId } from "./kafka-errors.js";
import type { KafkaLogOptions } from "./kafka-options.js";

export interface CreateTopicOptions extends Pick<KafkaLogOptions, "brokers" | "clientId" | "connection"> {
  topic: string;
  /** Partitions: one per independent engine (shard). Default 1. */
  partitions?: number;
  /** Copies of each partition on different brokers. Default 1; use 3 in production. */
  replicationFactor?: number;
  /**
   * Topic settings. The default keeps every record forever (`retention.ms=-1`, `retention.bytes=-1`): a replica
   * can only start from offset 0, or from a snapshot, if the records after it are still there.
   */
  configs?: Record<string, string>;
}

/** What topic creation found. */
export type CreateTopicResult = "created" | "exists";

export const EVENT_LOG_TOPIC_CONFIGS: Readonly<Record<string, string>> = {
  "retention.ms": "-1",
  "retention.bytes": "-1",
  "cleanup.policy": "delete",
};

/** Creates the topic for Sibyl's event log, with retention that keeps every record, unless it exists. */
export async function createEventLogTopic(options: CreateTopicOptions): Promise<CreateTopicResult> {
  const admin = new Admin({
    clientId: options.clientId ?? "sibyl-admin",
    bootstrapBrokers: [...options.brokers],
    ...options.connection,
  });
  try {
    const configs = { ...EVENT_LOG_TOPIC_CONFIGS, ...options.configs };
    await admin.createTopics({
      topics: [options.topic],
      partitions: options.partitions ?? 1,
      replicas: options.replicationFactor ?? 1,
      configs: Object.entries(configs).map(([name, value]) => ({ name, value })),
    });
    return "created";
  } catch (error) {
    if (kafkaErrorId(error, "TOPIC_ALREADY_EXISTS")) return "exists";
    throw error;
  } finally {
    await admin.close();
  }
}

/** Deletes a topic and every record in it (benchmarks, tests, and the last step of a topic rewrite). */
export async function deleteTopic(
  options: Pick<KafkaLogOptions, "brokers" | "clientId" | "connection"> & { topic: string },
): Promise<void> {
  const admin = new Admin({
    clientId: options.clientId ?? "sibyl-admin",
    bootstrapBrokers: [...options.brokers],
    ...options.connection,
  });
  try {
    await admin.deleteTopics({ topics: [options.topic] });
  } finally {
    await admin.close();
  }
}
