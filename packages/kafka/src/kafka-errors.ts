import { GenericError, UserError } from "@platformatic/kafka";
import { SharedLogError } from "@sibyl/engine";

/** Whether a client error carries the broker's error `id` ("OFFSET_OUT_OF_RANGE" …), at any depth. */
export function kafkaErrorId(error: unknown, id: string): boolean {
  if (!(error instanceof Error) || !GenericError.isGenericError(error)) return false;
  const search = error.findBy as (property: string, value: unknown) => unknown;
  return search.call(error, "apiId", id) !== null;
}

/** Whether a client error says the topic does not exist (the broker's code, or the client's own check). */
export function isUnknownTopic(error: unknown): boolean {
  if (kafkaErrorId(error, "UNKNOWN_TOPIC_OR_PARTITION")) return true;
  return error instanceof UserError && /^Unknown topic /.test(error.message);
}

/** A short description of a client error, naming the broker's error codes when there are any. */
export function describeKafkaError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const parts = [error.message];
  const nested = error instanceof AggregateError ? error.errors : [];
  for (const inner of nested)
    if (inner instanceof Error && !parts.includes(inner.message)) parts.push(inner.message);
  if (error.cause instanceof Error && !parts.includes(error.cause.message)) parts.push(error.cause.message);
  return parts.join(": ");
}

/** Appending to the partition failed; the records may or may not be in it, and none was acknowledged. */
export class KafkaAppendError extends SharedLogError {
  constructor(log: string, cause: unknown) {
    super(
      "kafka_unavailable",
      log,
      `the records could not be confirmed by Kafka (${describeKafkaError(cause)})`,
      {
        cause,
      },
    );
  }
}

/** The offset a replica must read from is gone from the partition: retention deleted it. */
export class KafkaOffsetGoneError extends SharedLogError {
  constructor(
    log: string,
    readonly offset: number,
    readonly logStartOffset: number | null,
  ) {
    super(
      "offset_out_of_range",
      log,
      `offset ${offset} is no longer in the partition${logStartOffset === null ? "" : ` (it now starts at ${logStartOffset})`}: ` +
        "the topic's retention deleted records this replica never applied. Start it from a newer snapshot " +
        "(sibyl snapshot export on a caught-up replica, sibyl snapshot import here).",
    );
  }
}

/** The topic or partition does not exist (or this client may not see it). */
export class KafkaTopicError extends SharedLogError {
  constructor(log: string, message: string) {
    super("kafka_topic", log, message);
  }
}
