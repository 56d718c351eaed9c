/**
 * Sibyl's durable event log: the only copy of the truth (there is no database). An append-only sequence of
 * CRC-framed records in segment files, built like LevelDB's log and Kafka's segments.
 *
 * Every mutating operation goes through one FIFO queue, so appends are applied in call order and never overlap a
 * redaction, a retention deletion or close. Consecutive appends waiting in the queue are committed together with
 * one write per segment and one fsync (group commit): while an fsync is in flight, new appends queue up and share
 * the next one.
 */
import { LogStateError, LogWriteError } from "./log-errors.js";
import { fsyncDirectory, type LogFileSystem, nodeFileSystem } from "./log-file-system.js";
import type { LogPosition } from "./log-position.js";
import { type Durability, LogWriter } from "./log-writer.js";
import { type LogRecord, readRecords } from "./read-records.js";
import { encodeRecord, RECORD_HEADER_BYTES, RecordType } from "./record-format.js";
import { type RecoveryReport, recoverLog } from "./recovery.js";
import { DEFAULT_SEGMENT_BYTES, SEGMENT_HEADER_BYTES } from "./segment-files.js";
import { planEdits, type RecordEdit, rewriteSegment } from "./segment-rewrite.js";
import type { SegmentState } from "./segment-state.js";

export interface EventLogOptions {
  dir: string;
  /** Size at which a new segment is started (default 64 MiB). A single larger record gets a segment of its own. */
  segmentBytes?: number;
  /** Default "always". See Durability for the loss window of each mode. */
  durability?: Durability;
  /** Fsync period of the "interval" mode (default 100 ms). */
  intervalMs?: number;
  /** Open despite corruption in the middle of the log, skipping (and reporting) the damaged ranges. */
  skipCorrupt?: boolean;
  /** Change nothing on disk: a torn tail is reported, not cut; appends and erasure are refused. */
  readOnly?: boolean;
  /** File system to use; tests inject faults here. Defaults to node:fs. */
  fs?: LogFileSystem;
}

export interface LogSegmentInfo {
  segment: number;
  path: string;
  bytes: number;
  firstPosition: LogPosition;
}

export interface LogStat {
  segments: number;
  /** Readable EVENT records. */
  records: number;
  redacted: number;
  bytes: number;
  /** Position of the first and the last record (redacted ones included); null when there is none. */
  first: LogPosition | null;
  last: LogPosition | null;
  end: LogPosition;
}

type AppendItem = {
  kind: "append";
  records: Buffer[];
  resolve: (p: LogPosition[]) => void;
  reject: (e: unknown) => void;
  /** Set for appendPinned: told of each failed attempt; the records stay queued instead of being rejected. */
  onError?: (error: unknown) => void;
};

type QueueItem =
  | AppendItem
  | {
      kind: "task";
      run: () => Promise<unknown>;
      resolve: (v: unknown) => void;
      reject: (e: unknown) => void;
    };

/** How long pinned records that failed wait before they are tried again when no other append comes. */
const PINNED_RETRY_MS = 1_000;

export class EventLog {
  private readonly queue: QueueItem[] = [];
  private draining = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private closePromise: Promise<void> | null = null;

  private constructor(
    private readonly fsys: LogFileSystem,
    readonly dir: string,
    private readonly states: SegmentState[],
    private readonly writer: LogWriter | null,
  ) {}

  static async open(options: EventLogOptions): Promise<{ log: EventLog; recovery: RecoveryReport }> {
    const fsys = options.fs ?? nodeFileSystem;
    const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    const intervalMs = options.intervalMs ?? 100;
    const durability = options.durability ?? "always";
    const readOnly = options.readOnly ?? false;
    if (!Number.isSafeInteger(segmentBytes) || segmentBytes < SEGMENT_HEADER_BYTES + RECORD_HEADER_BYTES) {
      throw new RangeError(`segmentBytes must be an integer ≥ ${SEGMENT_HEADER_BYTES + RECORD_HEADER_BYTES}`);
    }
    if (!(intervalMs > 0)) throw new RangeError("intervalMs must be positive");
    if (!["always", "interval", "none"].includes(durability))
      throw new RangeError(`bad durability ${durability}`);
    if (!readOnly) await fsys.mkdir(options.dir);
    const { segments, report } = await recoverLog(fsys, options.dir, {
      skipCorrupt: options.skipCorrupt ?? false,
      readOnly,
    });
    const writer = readOnly
      ? null
      : await LogWriter.open(fsys, segments, { dir: options.dir, segmentBytes, durability, intervalMs });
    const log = new EventLog(fsys, options.dir, segments, writer);
    report.end = log.end;
    return { log, recovery: report };
  }

  /** Position after the last acknowledged record: where the next append goes. */
  get end(): LogPosition {
    const last = this.states.at(-1);
    return last === undefined
      ? { segment: 1, offset: SEGMENT_HEADER_BYTES }
      : { segment: last.segment, offset: last.bytes };
  }

  /**
   * Appends one EVENT record per payload. Resolves with their positions once they are durable under the
   * durability mode; rejects with LogWriteError (nothing of the batch acknowledged) if the disk fails.
   */
  append(payloads: readonly Uint8Array[]): Promise<LogPosition[]> {
    return this.enqueue(payloads);
  }

  /**
   * Appends records whose content is already in use before they are durable — a recommendation request that was
   * answered at once. Dropping such a record while records after it are acknowledged would leave a log that no
   * longer replays to the state that used it, so a failed commit does not reject it: it stays at the head of the
   * queue, every later append is committed after it or not at all, and it is tried again with the next append or
   * after a second. `onError` hears each failed attempt. Resolves with the positions once durable; rejects only
   * when the log is closed (or closing) before they could be written.
   */
  appendPinned(payloads: readonly Uint8Array[], onError: (error: unknown) => void): Promise<LogPosition[]> {
    return this.enqueue(payloads, onError);
  }

  private enqueue(payloads: readonly Uint8Array[], onError?: (error: unknown) => void): Promise<LogPosition[]> {
    const refused = this.refuseWrites();
    if (refused !== null) return Promise.reject(refused);
    let records: Buffer[];
    try {
      records = payloads.map((p) => encodeRecord(RecordType.EVENT, p));
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.queue.push(
        onError === undefined
          ? { kind: "append", records, resolve, reject }
          : { kind: "append", records, resolve, reject, onError },
      );
      this.kick();
    });
  }

  /**
   * EVENT records from `from` (inclusive) to `until` (exclusive), both record positions (or `end`), covering what
   * was acknowledged when read() was called. Re-iterable; each iteration reads the files again, in 1 MiB chunks.
   */
  read(from?: LogPosition, until?: LogPosition): Iterable<LogRecord> {
    const snapshot = this.states.map((s) => ({ ...s }));
    const end = this.end;
    const fsys = this.fsys;
    return { [Symbol.iterator]: () => readRecords(fsys, snapshot, end, from, until) };
  }

  segments(): LogSegmentInfo[] {
    return this.states.map((s) => ({
      segment: s.segment,
      path: s.path,
      bytes: s.bytes,
      firstPosition: { segment: s.segment, offset: SEGMENT_HEADER_BYTES },
    }));
  }

  stat(): LogStat {
    const withRecords = this.states.filter((s) => s.firstRecord !== null);
    const first = withRecords[0];
    const last = withRecords.at(-1);
    return {
      segments: this.states.length,
      records: this.states.reduce((n, s) => n + s.records - s.redacted, 0),
      redacted: this.states.reduce((n, s) => n + s.redacted, 0),
      bytes: this.states.reduce((n, s) => n + s.bytes, 0),
      first: first === undefined ? null : { segment: first.segment, offset: first.firstRecord! },
      last: last === undefined ? null : { segment: last.segment, offset: last.lastRecord! },
      end: this.end,
    };
  }

  /**
   * Retention: deletes the whole segments that end at or before `position` (oldest first, never the active one)
   * and resolves with their numbers.
   */
  deleteSegmentsBefore(position: LogPosition): Promise<number[]> {
    return this.task(async () => {
      const deleted: number[] = [];
      try {
        while (this.states.length > 1) {
          const oldest = this.states[0]!;
          const endsBefore =
            oldest.segment < position.segment ||
            (oldest.segment === position.segment && oldest.bytes <= position.offset);
          if (!endsBefore) break;
          await this.fsys.unlink(oldest.path);
          this.states.shift();
          deleted.push(oldest.segment);
        }
        if (deleted.length > 0) await fsyncDirectory(this.fsys, this.dir);
      } catch (cause) {
        throw new LogWriteError("deleting old segments failed", cause);
      }
      return deleted;
    });
  }

  /**
   * Right to erasure: replaces the EVENT records at `positions` with REDACTED records of the same size (zeroed
   * payload), rewriting each touched segment atomically. Afterwards the old bytes are in no file of the directory.
   * Already-redacted positions are left as they are.
   */
  redact(positions: readonly LogPosition[]): Promise<void> {
    return this.edit(positions.map((position) => ({ position, edit: { kind: "redact" } })));
  }

  /**
   * Anonymisation: replaces the payload of the EVENT record at `position` with `payload` (not longer than the
   * original) padded with spaces, rewriting the segment atomically like redact().
   */
  replace(position: LogPosition, payload: Uint8Array): Promise<void> {
    return this.edit([{ position, edit: { kind: "replace", payload } }]);
  }

  /** Waits for queued operations, then fsyncs (in every durability mode) and closes. Idempotent. */
  close(): Promise<void> {
    if (this.closePromise === null) {
      this.closePromise = this.task(async () => {
        await this.writer?.close();
      }, false);
    }
    return this.closePromise;
  }

  private edit(edits: Array<{ position: LogPosition; edit: RecordEdit }>): Promise<void> {
    return this.task(async () => {
      const plan = planEdits(this.fsys, this.states, edits);
      for (const [state, planned] of plan) {
        try {
          await rewriteSegment(this.fsys, this.dir, state, planned);
        } catch (cause) {
          throw new LogWriteError(`rewriting segment ${state.segment} failed; it is unchanged`, cause);
        }
        state.redacted += planned.filter((p) => p.redacts).length;
        if (state === this.states.at(-1)) await this.writer!.reopenActive();
      }
    });
  }

  /** Queues `run` behind every earlier operation; `mutates` refuses it on a closed or read-only log. */
  private task<T>(run: () => Promise<T>, mutates = true): Promise<T> {
    const refused = mutates ? this.refuseWrites() : null;
    if (refused !== null) return Promise.reject(refused);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ kind: "task", run, resolve: resolve as (v: unknown) => void, reject });
      this.kick();
    });
  }

  private refuseWrites(): LogStateError | null {
    if (this.closePromise !== null) return new LogStateError("log_closed", "the event log is closed");
    if (this.writer === null) return new LogStateError("log_read_only", "the event log was opened read-only");
    return null;
  }

  private kick(): void {
    if (this.retryTimer !== null) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    if (this.draining) return;
    this.draining = true;
    void this.drain();
  }

  /** Runs queued items in order; consecutive appends form one group commit. Never rejects. */
  private async drain(): Promise<void> {
    for (;;) {
      const head = this.queue[0];
      if (head === undefined) {
        // Reset synchronously after the last check, so an item queued from now on starts a new drain.
        this.draining = false;
        return;
      }
      if (head.kind === "task") {
        this.queue.shift();
        try {
          head.resolve(await head.run());
        } catch (error) {
          head.reject(error);
        }
        continue;
      }
      const group: AppendItem[] = [];
      while (this.queue[0]?.kind === "append") group.push(this.queue.shift() as AppendItem);
      try {
        const positions = await this.writer!.commit(group.map((item) => item.records));
        group.forEach((item, i) => {
          item.resolve(positions[i]!);
        });
      } catch (error) {
        const kept = this.keepPinned(group, error);
        if (kept > 0 && this.queue.length === kept) {
          // Only kept records are left, and trying them again at once would fail the same way: a new append (or
          // the timer) starts the next attempt. Appends queued meanwhile are tried now, behind the kept records.
          this.draining = false;
          this.retryTimer = setTimeout(() => {
            this.retryTimer = null;
            this.kick();
          }, PINNED_RETRY_MS);
          this.retryTimer.unref();
          return;
        }
      }
    }
  }

  /**
   * Settles a failed group: plain appends are rejected; pinned ones go back to the head of the queue, in order,
   * unless the log is closing (nothing would try them again). Returns how many were put back.
   */
  private keepPinned(group: AppendItem[], error: unknown): number {
    const pinned: AppendItem[] = [];
    for (const item of group) {
      if (item.onError === undefined || this.closePromise !== null) {
        item.reject(error);
        continue;
      }
      item.onError(error);
      pinned.push(item);
    }
    this.queue.unshift(...pinned);
    return pinned.length;
  }
}
