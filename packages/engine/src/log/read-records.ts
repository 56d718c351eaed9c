/**
 * Replay: a synchronous iteration over the EVENT records of the log, in order.
 *
 * Why synchronous: replay feeds the engine record by record at startup; a plain generator keeps that loop free
 * of an await per record. It reads each segment in chunks through a SegmentReader and checks every CRC again:
 * bit rot after the log was opened is reported (LogCorruptionError), not replayed.
 *
 * The view is fixed when read() is called: records acknowledged later are not included. A segment deleted by
 * retention before the iteration reaches it makes the iteration throw (ENOENT).
 */
import { LogCorruptionError } from "./log-errors.js";
import type { LogFileSystem } from "./log-file-system.js";
import { comparePositions, type LogPosition } from "./log-position.js";
import { RecordType } from "./record-format.js";
import { SEGMENT_HEADER_BYTES } from "./segment-files.js";
import { SegmentReader } from "./segment-reader.js";
import type { SegmentState } from "./segment-state.js";

export interface LogRecord {
  position: LogPosition;
  /** Always EVENT: redacted records are skipped. */
  type: RecordType;
  /** A copy owned by the caller (a Buffer, so `.toString()` gives the JSON): one stamped event. */
  payload: Buffer;
}

/**
 * Records from `from` (inclusive) to `until` (exclusive), both optional, within `segments` up to `end`.
 * `segments` and `end` must be a snapshot: they are read lazily.
 */
export function* readRecords(
  fsys: LogFileSystem,
  segments: readonly SegmentState[],
  end: LogPosition,
  from?: LogPosition,
  until?: LogPosition,
): Generator<LogRecord, void, undefined> {
  const stop = until !== undefined && comparePositions(until, end) < 0 ? until : end;
  for (const state of segments) {
    if (state.segment > stop.segment) break;
    if (from !== undefined && state.segment < from.segment) continue;
    const limit = state.segment === stop.segment ? Math.min(stop.offset, state.bytes) : state.bytes;
    let offset = SEGMENT_HEADER_BYTES;
    if (from !== undefined && state.segment === from.segment) offset = Math.max(offset, from.offset);
    if (offset >= limit) continue;
    const fd = fsys.openSync(state.path, "r");
    try {
      const reader = new SegmentReader(fsys, fd, state.bytes);
      while (offset < limit) {
        const skip = state.skips.find((s) => offset >= s.offset && offset < s.offset + s.bytes);
        if (skip !== undefined) {
          offset = skip.offset + skip.bytes;
          continue;
        }
        const record = reader.recordAt(offset);
        if (!record.ok) throw new LogCorruptionError(state.path, offset, record.reason);
        const position: LogPosition = { segment: state.segment, offset };
        offset += record.size;
        if (record.type === RecordType.EVENT) {
          yield { position, type: record.type, payload: Buffer.from(record.payload) };
        }
      }
    } finally {
      fsys.closeSync(fd);
    }
  }
}
