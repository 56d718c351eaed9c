/**
 * The write side of the log: one open file descriptor on the active (last) segment, batched writes, segment
 * rollover, durability, and rolling back a batch that failed.
 *
 * Invariants:
 * - `segments` (shared with the EventLog) and so `end` only ever describe ACKNOWLEDGED records; bytes written
 *   past them belong to a batch in flight and are invisible to readers.
 * - A failed batch is cut off (ftruncate) before anything else is written. If even that fails, `needsRepair`
 *   makes the next batch retry the cut first: a torn write is never followed by new records.
 * - A segment is fsynced before the next one is created (in every durability mode; it happens once per
 *   segment), so a crash can only tear the last segment. Recovery relies on this.
 *
 * The caller (EventLog) serialises calls: at most one commit/close/rewrite runs at a time. The only concurrency
 * here is the interval mode's background fsync, which runs beside writes but never beside a descriptor swap.
 */
import { LogWriteError, systemErrorCode } from "./log-errors.js";
import { fsyncDirectory, type LogFileSystem, writeFully } from "./log-file-system.js";
import type { LogPosition } from "./log-position.js";
import { RecordType } from "./record-format.js";
import { encodeSegmentHeader, SEGMENT_HEADER_BYTES, segmentPath } from "./segment-files.js";
import { emptySegmentState, noteRecord, type SegmentState } from "./segment-state.js";

/**
 * - `always`: an append resolves only after fsync; appends arriving during an fsync share the next (group commit).
 * - `interval`: an append resolves after write(); fsync runs at most every `intervalMs`. Loss window: records
 *   acknowledged in the last `intervalMs` may be lost on power failure or OS crash, never on a process crash
 *   (they are in the OS page cache). If a background fsync fails, the next append (or close) rejects with that
 *   LogWriteError, so the failure is seen even though the affected records were already acknowledged.
 * - `none`: never fsync except at segment rollover and close; the OS decides. For tests and rebuildable logs.
 */
export type Durability = "always" | "interval" | "none";

export interface WriterOptions {
  dir: string;
  segmentBytes: number;
  durability: Durability;
  intervalMs: number;
}

export class LogWriter {
  private fd: number | null = null;
  /** Written since the last fsync (interval mode). */
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;
  /** Set while the descriptor is being swapped or cut; the background fsync waits its turn. */
  private swapping = false;
  /** A background fsync failed: acknowledged records may not be durable. Reported by the next commit or close. */
  private deferredError: LogWriteError | null = null;
  /** The file may hold bytes past the acknowledged end (or the descriptor was lost); fix before writing. */
  private needsRepair = false;
  /** Segment files created by a failed batch that could not be removed yet. */
  private orphans: string[] = [];

  private constructor(
    private readonly fsys: LogFileSystem,
    private readonly segments: SegmentState[],
    private readonly options: WriterOptions,
  ) {}

  /** Opens the active segment for writing, creating segment 1 in an empty directory. */
  static async open(
    fsys: LogFileSystem,
    segments: SegmentState[],
    options: WriterOptions,
  ): Promise<LogWriter> {
    const writer = new LogWriter(fsys, segments, options);
    if (segments.length === 0) {
      const path = segmentPath(options.dir, 1);
      await fsys.close(await writer.createSegmentFile(path));
      segments.push(emptySegmentState(1, path, SEGMENT_HEADER_BYTES));
    }
    writer.fd = await fsys.open(writer.active.path, "r+");
    return writer;
  }

  private get active(): SegmentState {
    return this.segments[this.segments.length - 1]!;
  }

  /**
   * Writes framed records (one list per caller) and makes them durable per the mode; returns their positions.
   * All or nothing: on failure everything is cut back and a LogWriteError is thrown.
   */
  async commit(batches: Buffer[][]): Promise<LogPosition[][]> {
    if (this.deferredError !== null) {
      const error = this.deferredError;
      this.deferredError = null;
      throw error;
    }
    if (this.needsRepair) await this.repair();
    const start = this.active;
    const startBytes = start.bytes;
    const startFd = this.fd!;
    const created: SegmentState[] = [];
    const openedFds: number[] = [];
    const positions: LogPosition[][] = [];
    try {
      let segment = start;
      let cursor = startBytes;
      let pending: Buffer[] = [];
      let pendingAt = cursor;
      for (const batch of batches) {
        const batchPositions: LogPosition[] = [];
        for (const record of batch) {
          if (cursor > SEGMENT_HEADER_BYTES && cursor + record.length > this.options.segmentBytes) {
            await writeFully(this.fsys, this.fd!, Buffer.concat(pending), pendingAt);
            pending = [];
            segment = await this.roll(segment, created, openedFds);
            cursor = pendingAt = SEGMENT_HEADER_BYTES;
          }
          batchPositions.push({ segment: segment.segment, offset: cursor });
          pending.push(record);
          cursor += record.length;
        }
        positions.push(batchPositions);
      }
      await writeFully(this.fsys, this.fd!, Buffer.concat(pending), pendingAt);
      const wrote = cursor !== startBytes || created.length > 0;
      if (wrote && this.options.durability === "always") await this.fsys.fsync(this.fd!);
    } catch (cause) {
      await this.rollback(startFd, startBytes, created, openedFds);
      throw new LogWriteError(
        "append failed and was rolled back; nothing of the batch is acknowledged",
        cause,
      );
    }
    this.acknowledge(batches, positions, created);
    if (openedFds.length > 0) {
      // Descriptors of segments this batch filled; all were fsynced at rollover.
      const retired = [startFd, ...openedFds.slice(0, -1)];
      await this.exclusive(async () => {
        for (const fd of retired) await this.fsys.close(fd).catch(() => {});
      });
    }
    if (this.options.durability === "interval" && positions.some((p) => p.length > 0)) {
      this.dirty = true;
      this.scheduleSync();
    }
    return positions;
  }

  /** Makes the active descriptor point at a file that was just renamed over the active segment's path. */
  async reopenActive(): Promise<void> {
    await this.exclusive(async () => {
      const old = this.fd;
      this.fd = null;
      if (old !== null) await this.fsys.close(old).catch(() => {});
      try {
        this.fd = await this.fsys.open(this.active.path, "r+");
      } catch (cause) {
        this.needsRepair = true;
        throw new LogWriteError("could not reopen the active segment", cause);
      }
    });
  }

  /** Flushes, fsyncs (in every mode) and closes. Reports a background fsync failure that nobody saw yet. */
  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.exclusive(async () => {
      try {
        if (this.needsRepair) await this.repair();
        if (this.fd !== null) await this.fsys.fsync(this.fd);
      } catch (cause) {
        throw cause instanceof LogWriteError ? cause : new LogWriteError("fsync at close failed", cause);
      } finally {
        if (this.fd !== null) await this.fsys.close(this.fd).catch(() => {});
        this.fd = null;
      }
    });
    if (this.deferredError !== null) throw this.deferredError;
  }

  /** Fsyncs the full segment, then creates the next one (header written, fsynced, directory fsynced). */
  private async roll(
    full: SegmentState,
    created: SegmentState[],
    openedFds: number[],
  ): Promise<SegmentState> {
    await this.exclusive(() => this.fsys.fsync(this.fd!));
    const next = emptySegmentState(full.segment + 1, segmentPath(this.options.dir, full.segment + 1), 0);
    created.push(next);
    const fd = await this.createSegmentFile(next.path);
    openedFds.push(fd);
    next.bytes = SEGMENT_HEADER_BYTES;
    this.fd = fd;
    return next;
  }

  private async createSegmentFile(path: string): Promise<number> {
    const fd = await this.fsys.open(path, "w");
    try {
      await writeFully(this.fsys, fd, encodeSegmentHeader(), 0);
      await this.fsys.fsync(fd);
      await fsyncDirectory(this.fsys, this.options.dir);
    } catch (error) {
      await this.fsys.close(fd).catch(() => {});
      throw error;
    }
    return fd;
  }

  /** Cuts a failed batch off. If that fails too, the next write retries it first (needsRepair). */
  private async rollback(startFd: number, startBytes: number, created: SegmentState[], openedFds: number[]) {
    await this.exclusive(async () => {
      for (const fd of openedFds) await this.fsys.close(fd).catch(() => {});
      this.fd = startFd;
      this.orphans.push(...created.map((s) => s.path));
      this.needsRepair = true;
      try {
        await this.repairNow(startBytes);
      } catch {
        // needsRepair stays set; the next commit retries and reports the failure if it persists.
      }
    });
  }

  private async repair(): Promise<void> {
    try {
      await this.exclusive(() => this.repairNow(this.active.bytes));
    } catch (cause) {
      throw new LogWriteError(
        "the log could not cut back an earlier failed write; nothing was appended",
        cause,
      );
    }
  }

  /** Removes orphan segments, reopens the descriptor if lost, truncates to the acknowledged end, fsyncs. */
  private async repairNow(acknowledgedBytes: number): Promise<void> {
    if (this.orphans.length > 0) {
      for (const path of [...this.orphans]) {
        await this.fsys.unlink(path).catch((error: unknown) => {
          if (systemErrorCode(error) !== "ENOENT") throw error;
        });
        this.orphans.splice(this.orphans.indexOf(path), 1);
      }
      await fsyncDirectory(this.fsys, this.options.dir);
    }
    if (this.fd === null) this.fd = await this.fsys.open(this.active.path, "r+");
    await this.fsys.ftruncate(this.fd, acknowledgedBytes);
    await this.fsys.fsync(this.fd);
    this.needsRepair = false;
  }

  /** Publishes a committed group: new segments join the list, per-segment counts and sizes move forward. */
  private acknowledge(batches: Buffer[][], positions: LogPosition[][], created: SegmentState[]): void {
    this.segments.push(...created);
    const bySegment = new Map(this.segments.slice(-1 - created.length).map((s) => [s.segment, s]));
    batches.forEach((batch, i) => {
      batch.forEach((record, j) => {
        const position = positions[i]![j]!;
        const state = bySegment.get(position.segment)!;
        noteRecord(state, position.offset, RecordType.EVENT);
        state.bytes = position.offset + record.length;
      });
    });
  }

  private scheduleSync(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.backgroundSync();
    }, this.options.intervalMs);
    this.timer.unref();
  }

  private backgroundSync(): void {
    if (!this.dirty || this.fd === null) return;
    if (this.swapping || this.syncing !== null) {
      this.scheduleSync();
      return;
    }
    this.dirty = false;
    this.syncing = this.fsys
      .fsync(this.fd)
      .catch((cause: unknown) => {
        this.dirty = true;
        this.deferredError = new LogWriteError(
          "background fsync failed; records acknowledged in the last interval may not be durable",
          cause,
        );
      })
      .finally(() => {
        this.syncing = null;
      });
  }

  /** Runs `fn` with no background fsync in flight or starting, so the descriptor can be swapped or cut. */
  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const wasSwapping = this.swapping;
    this.swapping = true;
    try {
      while (this.syncing !== null) await this.syncing;
      return await fn();
    } finally {
      this.swapping = wasSwapping;
    }
  }
}
