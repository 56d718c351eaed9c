import type { LogPosition } from "../log/index.js";
import type { ResolvedOptions } from "../options.js";

/** What a snapshot file says about the state it holds. */
export interface SnapshotMeta {
  format: 1;
  /** The last log record the state includes; null for a state before any record. */
  lastApplied: LogPosition | null;
  /** Events applied in total. */
  events: number;
  /** The latest event_time in the state (ms since the epoch). */
  eventTime: number;
  /** The engine options the state was built with; a snapshot built with other options is not loaded. */
  options: ResolvedOptions;
  /** Wall-clock time of writing, for operators only. */
  writtenAt: string;
}

/** The snapshot's position in the store's naming: the record after which replay resumes. */
export function snapshotPosition(meta: Pick<SnapshotMeta, "lastApplied">): LogPosition {
  return meta.lastApplied ?? { segment: 0, offset: 0 };
}
