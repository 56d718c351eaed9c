import { Producer } from "@platformatic/kafka";
import type { SharedLogEntry } from "@sibyl/engine";
import { KafkaAppendError } from "./kafka-errors.js";
import type { ResolvedKafkaLogOptions } from "./kafka-options.js";

/** The Kafka record header that carries a recommendation request's answer. */
export const ANSWER_HEADER = "sibyl-answer";
export const ANSWER_HEADER_KEY = Buffer.from(ANSWER_HEADER);

interface PendingAppend {
  entries: readonly SharedLogEntry[];
  offsets: number[];
  resolve: (offsets: number[]) => void;
  reject: (error: Error) => void;
}

/** Per-record overhead of Kafka's record format, generously: length, attributes, deltas, key and header counts. */
const RECORD_OVERHEAD_BYTES = 32;

/**
 * Appends to one partition through an idempotent producer (acks=all), one produce request at a time. Appends
 * that arrive while a request is in flight are sent together in the next one — the group commit of the file
 * log, and the reason sequence numbers stay right: the client library numbers a request's records when it
 * builds the request but only advances its counter on success, so two requests in flight would share numbers and
 * the broker would drop the second as a duplicate. A request that fails after the library's own retries leaves
 * its records in doubt, so the producer is replaced: a new producer id starts fresh sequence numbers, and no
 * later record can be mistaken for a retry of the doubtful ones.
 */
export class ProduceQueue {
  private queue: PendingAppend[] = [];
  private draining: Promise<void> | null = null;
  private producer: Producer | null = null;
  private closed = false;

  constructor(
    private readonly options: ResolvedKafkaLogOptions,
    private readonly name: string,
  ) {}

  append(entries: readonly SharedLogEntry[]): Promise<number[]> {
    if (this.closed) return Promise.reject(new KafkaAppendError(this.name, new Error("the log is closed")));
    if (entries.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ entries, offsets: [], resolve, reject });
      this.draining ??= this.drain().finally(() => {
        this.draining = null;
      });
    });
  }

  /** Lets queued appends settle, then closes the producer. */
  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
    await this.replaceProducer();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      await this.send(group);
    }
  }

  /** Sends a group's records in request-sized chunks, in order; settles each append once all of its records are. */
  private async send(group: PendingAppend[]): Promise<void> {
    const records = group.flatMap((append) =>
      append.entries.map((entry) => ({
        append,
        entry,
        bytes: entry.payload.length + (entry.answer?.length ?? 0) + RECORD_OVERHEAD_BYTES,
      })),
    );
    let next = 0;
    let settled = 0;
    try {
      while (next < records.length) {
        let bytes = 0;
        let end = next;
        do bytes += records[end++]!.bytes;
        while (end < records.length && bytes + records[end]!.bytes <= this.options.maxRequestBytes);
        const chunk = records.slice(next, end);
        const base = await this.produce(chunk.map((record) => record.entry));
        chunk.forEach((record, index) => {
          record.append.offsets.push(base + index);
        });
        next = end;
        while (settled < group.length && group[settled]!.offsets.length === group[settled]!.entries.length) {
          group[settled]!.resolve(group[settled]!.offsets);
          settled++;
        }
      }
    } catch (error) {
      const failure = error instanceof KafkaAppendError ? error : new KafkaAppendError(this.name, error);
      for (const append of group.slice(settled)) append.reject(failure);
      await this.replaceProducer();
    }
  }

  /** One produce request; resolves with the offset Kafka gave its first record. */
  private async produce(entries: SharedLogEntry[]): Promise<number> {
    const { topic, partition } = this.options;
    this.producer ??= this.createProducer();
    const result = await this.producer.send({
      messages: entries.map(({ payload, answer }) => ({
        topic,
        partition,
        value: asBuffer(payload),
        ...(answer === undefined ? {} : { headers: new Map([[ANSWER_HEADER_KEY, asBuffer(answer)]]) }),
      })),
    });
    const base = result.offsets?.find(
      (entry) => entry.topic === topic && entry.partition === partition,
    )?.offset;
    if (base === undefined)
      throw new KafkaAppendError(this.name, new Error("Kafka's answer names no offset"));
    return Number(base);
  }

  private createProducer(): Producer {
    const { clientId, brokers, retries, retryDelayMs, requestTimeoutMs, connection } = this.options;
    return new Producer({
      clientId,
      bootstrapBrokers: brokers,
      idempotent: true,
      acks: -1,
      // The library retries forever when an idempotent producer is given fewer than 2; an append must end.
      retries: Math.max(2, retries),
      retryDelay: retryDelayMs,
      timeout: requestTimeoutMs,
      requestTimeout: requestTimeoutMs,
      autocreateTopics: false,
      ...connection,
    });
  }

  private async replaceProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    if (producer === null) return;
    try {
      await producer.close(true);
    } catch (error) {
      // The producer is being dropped whatever happens; its sockets go with it.
      this.options.onRetry?.(error instanceof Error ? error : new Error(String(error)), "close");
    }
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
