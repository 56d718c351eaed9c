/**
 * What the log knows about each segment in memory, so stat(), segments(), read bounds and retention never have
 * to rescan files. Built by recovery at open, then kept current by appends, redactions and deletions.
 */
import { RecordType } from "./record-format.js";

/** A byte range of one segment, as reported by recovery (torn tail dropped, damaged range skipped). */
export interface LogRange {
  segment: number;
  offset: number;
  bytes: number;
}

export interface SegmentState {
  segment: number;
  path: string;
  /** Bytes of the file that belong to the log: header + acknowledged records (+ skipped damaged ranges). */
  bytes: number;
  /** Valid records, redacted ones included. */
  records: number;
  redacted: number;
  /** Offsets of the first and last valid record, null while the segment has none. */
  firstRecord: number | null;
  lastRecord: number | null;
  /** Damaged ranges that recovery skipped with `skipCorrupt`; readers step over them. */
  skips: { offset: number; bytes: number }[];
}

export function emptySegmentState(segment: number, path: string, bytes: number): SegmentState {
  return { segment, path, bytes, records: 0, redacted: 0, firstRecord: null, lastRecord: null, skips: [] };
}

/** Counts a valid record at `offset` (records must be noted in ascending offset order). */
export function noteRecord(state: SegmentState, offset: number, type: RecordType): void {
  state.records++;
  if (type === RecordType.REDACTED) state.redacted++;
  if (state.firstRecord === null) state.firstRecord = offset;
  state.lastRecord = offset;
}
