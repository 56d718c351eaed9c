/**
 * The seam that makes Sibyl's log pluggable. A data directory's own file log (src/log) is the default; a shared
 * log is one that several Sibyl processes append to and read from — a Kafka topic partition, implemented in
 * @sibyl/kafka. On a shared log every replica applies records only as it reads them back, in the log's order, so
 * replicas that have read up to the same offset hold the same state (equal stateHash).
 */

/** What one record of a shared log holds. */
export interface SharedLogEntry {
  /** One stamped event as UTF-8 JSON; empty where a record was redacted. */
  payload: Uint8Array;
  /**
   * For a recommendation request: the answer (a RecoResponse, UTF-8 JSON) the replica that took it gave, which
   * every replica applies instead of answering again — so answering scales with the number of replicas.
   */
  answer?: Uint8Array;
}

/** One record read back from a shared log. */
export interface SharedLogRecord extends SharedLogEntry {
  /** Position in the log; strictly increasing, not necessarily consecutive (a log may skip offsets). */
  offset: number;
}

/** What one read of a shared log returns: zero or more records, and how far the log reached at that moment. */
export interface SharedLogBatch {
  records: SharedLogRecord[];
  /**
   * Where the reader goes on from: after the last record, or further when the log skipped offsets (Kafka's
   * transaction markers take offsets but hold no record).
   */
  next: number;
  /** The offset the log's next record will get, as of this read: the reader's lag is `end` − its next offset. */
  end: number;
}

export interface SharedLog {
  /**
   * Names the log — "kafka:sibyl-events/0". Snapshots record it; a snapshot is only loaded on the log it names.
   */
  readonly name: string;
  /**
   * Appends the entries, in order, and resolves with their offsets once the log has made them durable (for
   * Kafka: acknowledged by every in-sync replica). Rejects when that cannot be confirmed; the records may then
   * be in the log or not, and callers must treat them as not acknowledged.
   */
  append(entries: readonly SharedLogEntry[]): Promise<number[]>;
  /**
   * Reads from `from` (inclusive) on, in offset order, for as long as `signal` is not aborted: each batch holds
   * the records available then (none when the reader is at the end; a reader waits a little for new records
   * before yielding an empty batch). Transient failures (a broker restarting) are retried inside; the iteration
   * throws only for what retrying cannot cure — `from` is no longer in the log, for example.
   */
  read(from: number, signal: AbortSignal): AsyncIterable<SharedLogBatch>;
  /** The offset the next record will get. */
  end(): Promise<number>;
  /** Releases connections; pending appends settle first. */
  close(): Promise<void>;
}
