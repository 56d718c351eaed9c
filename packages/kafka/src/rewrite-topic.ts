import {
  anonymiseForErasure,
  ErasureCollector,
  erasureTreatment,
  type SharedLogEntry,
  type SharedLogRecord,
} from "@sibyl/engine";
import { type SibylEvent, validateEvent } from "@sibyl/events";
import { KafkaTopicError } from "./kafka-errors.js";
import { KafkaLog } from "./kafka-log.js";
import type { KafkaLogOptions } from "./kafka-options.js";

export interface RewriteTopicOptions extends Pick<KafkaLogOptions, "brokers" | "clientId" | "connection"> {
  /** The partition to rewrite. */
  from: { topic: string; partition?: number };
  /** An empty partition (of a new topic) that receives the rewritten records. */
  to: { topic: string; partition?: number };
  /** Told how far each pass has come. */
  onProgress?: (pass: "erasures" | "copy", offset: number, end: number) => void;
}

export interface RewriteReport {
  /** The source's end when the rewrite began: the target holds offsets 0 … end − 1. */
  end: number;
  /** Records copied unchanged. */
  copied: number;
  /** Events kept without their actor: a forgotten person's behaviour, still counted in anonymous aggregates. */
  anonymised: number;
  /** Records replaced by an empty one: events naming a forgotten person otherwise, and the erasures. */
  redacted: number;
  /** Empty records standing in for offsets the source no longer has or never used, so offsets stay equal. */
  padded: number;
  erasedVisitors: number;
  erasedUsers: number;
}

const CHUNK = 1_000;
const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder();

/**
 * Erasure for a Kafka topic, which Sibyl cannot edit in place: copies a partition into an empty one, record for
 * record, so every offset stays the same, with everyone forgotten by a UserForget in it removed — as the file
 * log's erasure does. A first pass applies the partition's events to an engine of its own to learn whom each
 * UserForget erased (merged profiles included); the second copies. Records appended to the source meanwhile are
 * not copied: stop writing to it first. Offsets retention already deleted become empty records; the merges they
 * held are unknown to the first pass, so rewrite before retention deletes anything. Afterwards replicas move to the new topic (their snapshots relabelled
 * with `importSnapshot(…, { asLog })`) and the old topic is deleted.
 */
export async function rewriteTopicForErasure(options: RewriteTopicOptions): Promise<RewriteReport> {
  const common = {
    brokers: options.brokers,
    clientId: options.clientId ?? "sibyl-rewrite",
    connection: options.connection,
  };
  const source = new KafkaLog({
    ...common,
    topic: options.from.topic,
    partition: options.from.partition ?? 0,
  });
  const target = new KafkaLog({ ...common, topic: options.to.topic, partition: options.to.partition ?? 0 });
  try {
    if (source.name === target.name)
      throw new KafkaTopicError(target.name, "cannot be rewritten into itself");
    const end = await source.end();
    const start = await source.start();
    const targetEnd = await target.end();
    if (targetEnd !== 0)
      throw new KafkaTopicError(
        target.name,
        `holds ${targetEnd} records; the rewrite needs an empty partition`,
      );
    const collector = new ErasureCollector();
    const progress = (offset: number) => options.onProgress?.("erasures", offset, end);
    for await (const record of recordsBetween(source, start, end, progress)) {
      const event = decode(record.payload);
      if (event) collector.apply(event);
    }
    const report: RewriteReport = {
      end,
      copied: 0,
      anonymised: 0,
      redacted: 0,
      padded: 0,
      erasedVisitors: collector.visitors.size,
      erasedUsers: collector.users.size,
    };
    let pending: SharedLogEntry[] = [];
    let written = 0;
    const flush = async () => {
      if (pending.length === 0) return;
      const offsets = await target.append(pending);
      if (offsets[0] !== written || offsets.at(-1) !== written + pending.length - 1) {
        throw new KafkaTopicError(
          target.name,
          `records landed at offsets ${offsets[0]}…${offsets.at(-1)}, not ${written}…: was it written to during the rewrite?`,
        );
      }
      written += pending.length;
      pending = [];
      options.onProgress?.("copy", written, end);
    };
    const put = async (entry: SharedLogEntry) => {
      pending.push(entry);
      if (pending.length >= CHUNK) await flush();
    };
    for await (const record of recordsBetween(source, start, end)) {
      while (written + pending.length < record.offset) {
        report.padded++;
        await put({ payload: EMPTY });
      }
      const event = decode(record.payload);
      const treatment = event ? erasureTreatment(event, collector.visitors, collector.users) : "keep";
      if (treatment === "keep") report.copied++;
      else if (treatment === "anonymise") report.anonymised++;
      else report.redacted++;
      // An answer names items only, never the person: it stays with a request that stays.
      const answer = record.answer === undefined ? {} : { answer: record.answer };
      if (treatment === "keep") await put({ payload: record.payload, ...answer });
      else if (treatment === "anonymise")
        await put({ payload: Buffer.from(JSON.stringify(anonymiseForErasure(event!)), "utf8"), ...answer });
      else await put({ payload: EMPTY });
    }
    while (written + pending.length < end) {
      report.padded++;
      await put({ payload: EMPTY });
    }
    await flush();
    return report;
  } finally {
    await source.close();
    await target.close();
  }
}

/** The records of a log from `start` up to `end` (exclusive). */
async function* recordsBetween(
  log: KafkaLog,
  start: number,
  end: number,
  progress?: (offset: number) => void,
): AsyncGenerator<SharedLogRecord> {
  if (end <= start) return;
  const stop = new AbortController();
  for await (const batch of log.read(start, stop.signal)) {
    for (const record of batch.records) if (record.offset < end) yield record;
    progress?.(Math.min(batch.next, end));
    if (batch.next >= end) stop.abort();
  }
}

function decode(payload: Uint8Array): SibylEvent | undefined {
  if (payload.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(payload));
  } catch {
    // Not an event: replicas skip it, and the rewrite copies it as it is.
    return undefined;
  }
  const validated = validateEvent(value);
  return validated.ok ? validated.event : undefined;
}
