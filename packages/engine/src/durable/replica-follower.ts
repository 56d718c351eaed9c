import { type SibylEvent, validateEvent } from "@sibyl/events";
import { type Engine, engineInternals } from "../engine.js";
import { SibylEngineError } from "../errors/engine-errors.js";
import type { ReplicationStatus } from "./durable-engine.js";
import type { ErasedKey } from "./erasure.js";
import { applyRecordedAnswer, decodeAnswer } from "./recorded-answer.js";
import type { SharedLog, SharedLogBatch, SharedLogRecord } from "./shared-log.js";
import type { SnapshotSchedule } from "./snapshot-schedule.js";

interface OffsetWaiter {
  offset: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The reading half of a replica: applies the shared log's records in offset order as they arrive, writes
 * snapshots when due (and at once after an erasure), and tells waiting appends when their records are applied.
 * Records that are not valid Sibyl events are skipped — every replica skips the same ones.
 */
export class ReplicaFollower {
  private nextOffset: number;
  private lastOffset: number | null;
  private end: number;
  private applied = 0;
  private skipped = 0;
  private error: Error | null = null;
  private lastReadAt: number | null = null;
  private waiters: OffsetWaiter[] = [];
  private readonly abort = new AbortController();
  private erasurePending = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly log: SharedLog,
    private readonly schedule: SnapshotSchedule,
    from: number,
    end: number,
    private readonly onError: (error: Error, fatal: boolean) => void,
  ) {
    this.nextOffset = from;
    this.lastOffset = from > 0 ? from - 1 : null;
    this.end = Math.max(end, from);
  }

  start(): void {
    this.running ??= this.run();
  }

  get lastApplied(): number | null {
    return this.lastOffset;
  }

  status(): ReplicationStatus {
    return {
      log: this.log.name,
      nextOffset: this.nextOffset,
      end: this.end,
      lag: Math.max(0, this.end - this.nextOffset),
      applied: this.applied,
      skipped: this.skipped,
      lastReadAt: this.lastReadAt,
      error: this.error,
    };
  }

  /** Resolves once the record at `offset` (and everything before it) is applied. */
  waitApplied(offset: number): Promise<void> {
    if (offset < this.nextOffset) return Promise.resolve();
    if (this.error) return Promise.reject(this.error);
    return new Promise((resolve, reject) => this.waiters.push({ offset, resolve, reject }));
  }

  /** Stops reading; waiting appends fail with `reason`. */
  async stop(reason: Error): Promise<void> {
    this.abort.abort(reason);
    await this.running;
    this.fail(reason);
  }

  private async run(): Promise<void> {
    try {
      for await (const batch of this.log.read(this.nextOffset, this.abort.signal)) {
        this.applyBatch(batch);
        if (this.abort.signal.aborted) return;
      }
    } catch (error) {
      if (this.abort.signal.aborted) return;
      const failure = error instanceof Error ? error : new Error(String(error));
      this.error = failure;
      this.onError(failure, true);
      this.fail(failure);
    }
  }

  private applyBatch(batch: SharedLogBatch): void {
    this.lastReadAt = Date.now();
    const erased: ErasedKey[] = [];
    let count = 0;
    for (const record of batch.records) {
      // A log may hand back a record again after a retried read: apply each offset once.
      if (record.offset < this.nextOffset) continue;
      this.applyRecord(record, erased);
      this.nextOffset = record.offset + 1;
      this.lastOffset = record.offset;
      count++;
    }
    this.nextOffset = Math.max(this.nextOffset, batch.next);
    this.end = Math.max(this.end, batch.end, this.nextOffset);
    this.schedule.noteApplied(count);
    if (erased.length > 0) this.erasurePending = true;
    this.snapshotIfDue();
    this.releaseWaiters();
  }

  private applyRecord(record: SharedLogRecord, erased: ErasedKey[]): void {
    const event = this.decode(record.payload);
    if (event === undefined) {
      this.skipped++;
      return;
    }
    const request =
      event.event_type === "RecoRequest" || event.event_type === "SmartSearchRequest" ? event : undefined;
    const answer = request && record.answer ? decodeAnswer(record.answer, request.rec_id) : undefined;
    try {
      const applied = engineInternals(this.engine).applyEvent(
        event,
        request && answer ? (context) => applyRecordedAnswer(request, answer, context) : undefined,
      );
      if (event.event_type === "UserForget" && Array.isArray(applied.result))
        erased.push(...(applied.result as ErasedKey[]));
    } catch (error) {
      // Checked before it was logged, so only a change in between (another replica removed the placement)
      // gets here; every replica refuses the same event the same way.
      if (!(error instanceof SibylEngineError)) throw error;
    }
    this.applied++;
  }

  private decode(payload: Uint8Array): SibylEvent | undefined {
    if (payload.length === 0) return undefined;
    let value: unknown;
    try {
      // Buffer's decoding is V8's fast path; TextDecoder costs more per short string.
      value = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8"));
    } catch {
      return undefined;
    }
    const validated = validateEvent(value);
    return validated.ok ? validated.event : undefined;
  }

  private snapshotIfDue(): void {
    if (!this.erasurePending && !this.schedule.due()) return;
    try {
      const snapshot = this.schedule.write({
        log: this.log.name,
        lastApplied: null,
        nextOffset: this.nextOffset,
      });
      if (this.erasurePending) {
        // The fresh snapshot covers the erasure; older ones still hold the erased people.
        this.schedule.store.removeAllBut(snapshot.path);
        this.erasurePending = false;
      }
    } catch (error) {
      // A full disk must not stop the replica from applying; the snapshot is tried again after the next read.
      this.onError(error instanceof Error ? error : new Error(String(error)), false);
    }
  }

  private releaseWaiters(): void {
    if (this.waiters.length === 0) return;
    const waiting: OffsetWaiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.offset < this.nextOffset) waiter.resolve();
      else waiting.push(waiter);
    }
    this.waiters = waiting;
  }

  private fail(error: Error): void {
    for (const waiter of this.waiters) waiter.reject(error);
    this.waiters = [];
  }
}
