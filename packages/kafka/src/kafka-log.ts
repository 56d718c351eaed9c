import type { SharedLog, SharedLogBatch, SharedLogEntry } from "@sibyl/engine";
import { type KafkaLogOptions, kafkaLogName, resolveKafkaLogOptions } from "./kafka-options.js";
import { PartitionReader } from "./partition-reader.js";
import { ProduceQueue } from "./produce-queue.js";

/**
 * Sibyl's event log as one partition of a Kafka topic. Appends go through an idempotent producer with acks=all
 * and resolve with their offsets once Kafka has acknowledged them; reads fetch the partition from any offset.
 * Give it to `openEngine({ dataDir, log })` to run a replica on it.
 */
export class KafkaLog implements SharedLog {
  readonly name: string;
  private readonly producer: ProduceQueue;
  private readonly reader: PartitionReader;
  private closing: Promise<void> | null = null;

  constructor(options: KafkaLogOptions) {
    const resolved = resolveKafkaLogOptions(options);
    this.name = kafkaLogName(resolved.topic, resolved.partition);
    this.producer = new ProduceQueue(resolved, this.name);
    this.reader = new PartitionReader(resolved, this.name);
  }

  append(entries: readonly SharedLogEntry[]): Promise<number[]> {
    return this.producer.append(entries);
  }

  read(from: number, signal: AbortSignal): AsyncIterable<SharedLogBatch> {
    return this.reader.read(from, signal);
  }

  end(): Promise<number> {
    return this.reader.end();
  }

  /** The partition's first offset: 0 until retention (or a deletion) removes records. */
  start(): Promise<number> {
    return this.reader.start();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.producer.close();
      await this.reader.close();
    })();
    return this.closing;
  }
}
