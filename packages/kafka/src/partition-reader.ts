import { setTimeout as sleep } from "node:timers/promises";
import { Consumer, IS_CONTROL } from "@platformatic/kafka";
import type { SharedLogBatch, SharedLogRecord } from "@sibyl/engine";
import { isUnknownTopic, KafkaOffsetGoneError, KafkaTopicError, kafkaErrorId } from "./kafka-errors.js";
import type { ResolvedKafkaLogOptions } from "./kafka-options.js";
import { ANSWER_HEADER_KEY } from "./produce-queue.js";

const EMPTY = new Uint8Array(0);

type FetchResponse = Awaited<ReturnType<Consumer["fetch"]>>;
type FetchOutcome = { response: FetchResponse } | { error: unknown };

/**
 * Reads one partition from an explicit offset with plain Fetch requests to its leader — no consumer group:
 * every replica reads the whole partition, and where it stands is the offset in its own snapshot, not a commit in
 * Kafka. Each Fetch also returns the partition's high watermark, which is the replica's lag for free.
 */
export class PartitionReader {
  private readonly consumer: Consumer;

  constructor(
    private readonly options: ResolvedKafkaLogOptions,
    private readonly name: string,
  ) {
    const { clientId, brokers, requestTimeoutMs, connection } = options;
    this.consumer = new Consumer({
      clientId,
      // Required by the client's constructor; never joined, since nothing here consumes through a group.
      groupId: `${clientId}-reader`,
      bootstrapBrokers: brokers,
      // Retrying is done by read(), which keeps going for as long as the replica runs.
      retries: 0,
      timeout: requestTimeoutMs,
      requestTimeout: requestTimeoutMs + options.maxWaitMs,
      autocreateTopics: false,
      ...connection,
    });
  }

  /** The offset the partition's next record will get (its high watermark). */
  async end(): Promise<number> {
    const { topic, partition } = this.options;
    await this.leaderOf();
    const offsets = await this.consumer.listOffsets({
      topics: [topic],
      partitions: { [topic]: [partition] },
    });
    const end = offsets.get(topic)?.[partition];
    if (end === undefined)
      throw new KafkaTopicError(this.name, "Kafka listed no end offset for the partition");
    return Number(end);
  }

  async *read(from: number, signal: AbortSignal): AsyncGenerator<SharedLogBatch> {
    let next = BigInt(from);
    let prefetched: Promise<FetchOutcome> | null = null;
    while (!signal.aborted) {
      const outcome = await (prefetched ?? this.fetchFrom(next));
      prefetched = null;
      if ("error" in outcome) {
        const { error } = outcome;
        if (signal.aborted) return;
        if (kafkaErrorId(error, "OFFSET_OUT_OF_RANGE"))
          throw new KafkaOffsetGoneError(this.name, Number(next), await this.logStart());
        if (error instanceof KafkaTopicError) throw error;
        this.options.onRetry?.(error instanceof Error ? error : new Error(String(error)), "fetch");
        this.consumer.clearMetadata();
        await sleep(this.options.retryDelayMs, undefined, { signal }).catch((error: unknown) => {
          // Stopping while waiting to retry ends the iteration below; anything else is a real failure.
          if (!signal.aborted) throw error;
        });
        continue;
      }
      const batch = this.decode(outcome.response, next);
      if (batch === undefined) continue;
      next = BigInt(batch.next);
      // While these records are applied, the next ones are on their way: the broker's work and ours overlap.
      if (batch.records.length > 0) prefetched = this.fetchFrom(next);
      yield batch;
    }
  }

  /** One Fetch from `offset`; its failure is returned, not thrown, so a prefetch never rejects unobserved. */
  private async fetchFrom(offset: bigint): Promise<FetchOutcome> {
    const { partition, maxWaitMs, fetchMaxBytes } = this.options;
    try {
      const { leader, topicId } = await this.leaderOf();
      const response = await this.consumer.fetch({
        node: leader,
        topics: [
          {
            topicId,
            partitions: [
              {
                partition,
                fetchOffset: offset,
                currentLeaderEpoch: -1,
                lastFetchedEpoch: -1,
                partitionMaxBytes: fetchMaxBytes,
              },
            ],
          },
        ],
        maxWaitTime: maxWaitMs,
        minBytes: 1,
        maxBytes: fetchMaxBytes,
      });
      return { response };
    } catch (error) {
      return { error };
    }
  }

  /** The records of a Fetch answer from `from` on, and where reading goes on. */
  private decode(response: FetchResponse, from: bigint): SharedLogBatch | undefined {
    const answer = response.responses[0]?.partitions.find(
      (entry) => entry.partitionIndex === this.options.partition,
    );
    if (answer === undefined) return undefined;
    const records: SharedLogRecord[] = [];
    let after = from;
    for (const batch of answer.records ?? []) {
      const last = batch.firstOffset + BigInt(batch.lastOffsetDelta);
      // Transaction markers take an offset but hold no record.
      if ((batch.attributes & IS_CONTROL) === 0) {
        for (const record of batch.records) {
          const offset = batch.firstOffset + BigInt(record.offsetDelta);
          // A Fetch returns whole batches: the first may begin before the offset asked for.
          if (offset < from) continue;
          const payload = record.value ?? EMPTY;
          const answer = record.headers.find(([key]) => key?.equals(ANSWER_HEADER_KEY))?.[1];
          records.push(
            answer ? { offset: Number(offset), payload, answer } : { offset: Number(offset), payload },
          );
        }
      }
      if (last + 1n > after) after = last + 1n;
    }
    return { records, next: Number(after), end: Number(answer.highWatermark) };
  }

  async close(): Promise<void> {
    await this.consumer.close(true);
  }

  /** The partition's first offset: 0 until retention (or a deletion) removes records. */
  async start(): Promise<number> {
    const { topic, partition } = this.options;
    await this.leaderOf();
    const offsets = await this.consumer.listOffsets({
      topics: [topic],
      partitions: { [topic]: [partition] },
      timestamp: -2n,
    });
    const start = offsets.get(topic)?.[partition];
    if (start === undefined)
      throw new KafkaTopicError(this.name, "Kafka listed no start offset for the partition");
    return Number(start);
  }

  /** The partition's first offset, for an error message; null when it cannot be had either. */
  private async logStart(): Promise<number | null> {
    try {
      return await this.start();
    } catch {
      // Only decorates the message of the error being thrown.
      return null;
    }
  }

  private async leaderOf(): Promise<{ leader: number; topicId: string }> {
    const { topic, partition } = this.options;
    let metadata: Awaited<ReturnType<Consumer["metadata"]>>;
    try {
      metadata = await this.consumer.metadata({ topics: [topic] });
    } catch (error) {
      if (isUnknownTopic(error)) throw new KafkaTopicError(this.name, `topic ${topic} does not exist`);
      throw error;
    }
    const found = metadata.topics.get(topic);
    if (found === undefined) throw new KafkaTopicError(this.name, `topic ${topic} does not exist`);
    const info = found.partitions[partition];
    if (info === undefined)
      throw new KafkaTopicError(
        this.name,
        `topic ${topic} has ${found.partitionsCount} partition(s), not ${partition + 1}`,
      );
    return { leader: info.leader, topicId: found.id };
  }
}
