/**
 * Opening the log: verify every record of every segment and decide what a crash explains and what it does not.
 *
 * A crash can only damage the end of the last segment (appends go there, and a segment is fsynced before the
 * next one is created), so:
 * - TORN TAIL: anything after the last whole valid record of the last segment with nothing valid after it (a
 *   short or zero-filled header, a length running past the end, a bad checksum in the final record(s)). It is
 *   cut off (only reported in read-only mode): those records were never acknowledged, or were acknowledged in a
 *   mode that documents losing them.
 * - CORRUPTION: an invalid record followed by valid ones, or any invalid record in an earlier segment. No crash
 *   makes that, so the log refuses to open (LogCorruptionError) unless `skipCorrupt` asks it to step over the
 *   damage; every skipped range is reported.
 */
import { LogCorruptionError } from "./log-errors.js";
import { type LogFileSystem, writeFully } from "./log-file-system.js";
import type { LogPosition } from "./log-position.js";
import { recordSize } from "./record-format.js";
import {
  checkSegmentHeader,
  encodeSegmentHeader,
  listSegmentFiles,
  SEGMENT_HEADER_BYTES,
  type SegmentFile,
  segmentPath,
} from "./segment-files.js";
import { SegmentReader } from "./segment-reader.js";
import { emptySegmentState, type LogRange, noteRecord, type SegmentState } from "./segment-state.js";

export interface RecoveryReport {
  /** Valid records found (redacted ones included). */
  records: number;
  /** Position after the last valid record: where the next append goes. */
  end: LogPosition;
  /** The torn tail cut off the last segment (or only found, in read-only mode), or null. */
  truncated: LogRange | null;
  /** Damaged ranges stepped over because of `skipCorrupt`. */
  skipped: LogRange[];
  /** Leftover temporary files of an interrupted rewrite that were deleted. */
  removedLeftovers: string[];
}

export interface RecoveryOptions {
  skipCorrupt: boolean;
  readOnly: boolean;
}

export async function recoverLog(
  fsys: LogFileSystem,
  dir: string,
  options: RecoveryOptions,
): Promise<{ segments: SegmentState[]; report: RecoveryReport }> {
  const listing = await listSegmentFiles(fsys, dir);
  const removedLeftovers: string[] = [];
  if (!options.readOnly) {
    // A leftover is an unfinished copy; the original it was meant to replace is still in place.
    for (const path of listing.leftovers) {
      await fsys.unlink(path);
      removedLeftovers.push(path);
    }
  }
  const files = listing.segments;
  for (let i = 1; i < files.length; i++) {
    const expected = files[i - 1]!.segment + 1;
    // Retention deletes from the front only, so a hole means a file was lost.
    if (files[i]!.segment !== expected) {
      throw new LogCorruptionError(segmentPath(dir, expected), 0, `segment ${expected} is missing`);
    }
  }
  const report: RecoveryReport = {
    records: 0,
    end: { segment: 1, offset: SEGMENT_HEADER_BYTES },
    truncated: null,
    skipped: [],
    removedLeftovers,
  };
  const segments: SegmentState[] = [];
  for (let i = 0; i < files.length; i++) {
    const state = await scanSegment(fsys, files[i]!, i === files.length - 1, options, report);
    segments.push(state);
    report.records += state.records;
  }
  const last = segments.at(-1);
  if (last !== undefined) report.end = { segment: last.segment, offset: last.bytes };
  return { segments, report };
}

async function scanSegment(
  fsys: LogFileSystem,
  file: SegmentFile,
  isLast: boolean,
  options: RecoveryOptions,
  report: RecoveryReport,
): Promise<SegmentState> {
  const size = (await fsys.stat(file.path)).size;
  const state = emptySegmentState(file.segment, file.path, SEGMENT_HEADER_BYTES);
  const fd = fsys.openSync(file.path, "r");
  let tailFrom: number | null = null;
  try {
    const reader = new SegmentReader(fsys, fd, size);
    const header = reader.bytes(0, SEGMENT_HEADER_BYTES);
    const check = checkSegmentHeader(header, header.length);
    // A header of zeros is a crash between extending the new file and writing its data, not a foreign file.
    const tornHeader = check === "short" || (check !== "ok" && header.every((b) => b === 0));
    if (tornHeader) {
      if (isLast) tailFrom = 0;
      else skipOrThrow(file, 0, size, "short segment header", options, report, state);
    } else if (check !== "ok") {
      throw new LogCorruptionError(
        file.path,
        0,
        check === "bad-magic" ? "bad magic: not a Sibyl log segment" : check,
      );
    } else {
      tailFrom = scanRecords(reader, file, isLast, options, report, state);
    }
  } finally {
    fsys.closeSync(fd);
  }
  if (tailFrom !== null) {
    report.truncated = { segment: file.segment, offset: tailFrom, bytes: size - tailFrom };
    if (!options.readOnly) await cutTail(fsys, file.path, tailFrom);
  }
  return state;
}

/** Verifies records from the header on; returns where a torn tail starts, or null if there is none. */
function scanRecords(
  reader: SegmentReader,
  file: SegmentFile,
  isLast: boolean,
  options: RecoveryOptions,
  report: RecoveryReport,
  state: SegmentState,
): number | null {
  let offset = SEGMENT_HEADER_BYTES;
  while (offset < reader.limit) {
    const record = reader.recordAt(offset);
    if (record.ok) {
      noteRecord(state, offset, record.type);
      offset += recordSize(record.payload.length);
      state.bytes = offset;
      continue;
    }
    const next = reader.findNextRecord(offset + 1);
    if (next === null && isLast) return offset;
    const resume = next ?? reader.limit;
    skipOrThrow(file, offset, resume - offset, record.reason, options, report, state);
    offset = resume;
    state.bytes = offset;
  }
  return null;
}

function skipOrThrow(
  file: SegmentFile,
  offset: number,
  bytes: number,
  reason: string,
  options: RecoveryOptions,
  report: RecoveryReport,
  state: SegmentState,
): void {
  if (!options.skipCorrupt) throw new LogCorruptionError(file.path, offset, reason);
  report.skipped.push({ segment: file.segment, offset, bytes });
  if (offset >= SEGMENT_HEADER_BYTES) state.skips.push({ offset, bytes });
}

/** Cuts the file back to `validEnd` (rewriting the header if even that was torn) and makes it durable. */
async function cutTail(fsys: LogFileSystem, path: string, validEnd: number): Promise<void> {
  const fd = await fsys.open(path, "r+");
  try {
    await fsys.ftruncate(fd, validEnd);
    if (validEnd < SEGMENT_HEADER_BYTES) {
      await writeFully(fsys, fd, encodeSegmentHeader(), 0);
    }
    await fsys.fsync(fd);
  } finally {
    await fsys.close(fd);
  }
}
