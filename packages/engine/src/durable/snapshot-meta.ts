import type { LogPosition } from "../log/index.js";
import type { ResolvedOptions } from "../options.js";

/** What a snapshot file says about the state it holds. */
export interface SnapshotMeta {
  format: 1;
  /**
   * The log the state was read from: absent for the data directory's own file log, a shared log's name
   * ("kafka:sibyl-events/0") otherwise. A snapshot is only loaded on the log it was built from.
   */
  log?: string;
  /** File log: the last record the state includes; null for a state before any record, and on a shared log. */
  lastApplied: LogPosition | null;
  /** Shared log: the offset of the next record to apply (every record before it is in the state). */
  nextOffset?: number;
  /** Events applied in total. */
  events: number;
  /** The latest event_time in the state (ms since the epoch). */
  eventTime: number;
  /** The engine options the state was built with; a snapshot built with other options is not loaded. */
  options: ResolvedOptions;
  /** Wall-clock time of writing, for operators only. */
  writtenAt: string;
}

/**
 * The snapshot's position in the store's naming, which sorts in log order: the record after which replay
 * resumes. A shared log is one sequence of offsets, named as segment 0.
 */
export function snapshotPosition(meta: Pick<SnapshotMeta, "lastApplied" | "nextOffset">): LogPosition {
  if (meta.nextOffset !== undefined) return { segment: 0, offset: meta.nextOffset };
  return meta.lastApplied ?? { segment: 0, offset: 0 };
}

/** Where a snapshot's state ends, for people: "3:4096" on the file log, "kafka:sibyl-events/0@1234" on a shared one. */
export function describeSnapshotPosition(meta: SnapshotMeta): string {
  if (meta.log !== undefined) return `${meta.log}@${meta.nextOffset ?? 0}`;
  return meta.lastApplied === null ? "start" : `${meta.lastApplied.segment}:${meta.lastApplied.offset}`;
}
