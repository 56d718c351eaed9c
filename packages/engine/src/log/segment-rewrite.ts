/**
 * In-place edits of records for the right to erasure: redaction (payload zeroed, type REDACTED) and
 * anonymisation (a new, not longer, payload padded with spaces). Record sizes never change, so every position in
 * the log stays valid.
 *
 * Why rewrite the whole segment instead of patching bytes with pwrite: a patch torn by a crash would leave a
 * record that is neither the old nor the new one, and a patch over old bytes still leaves them in the file until
 * the write lands. Instead each touched segment is copied to a temporary file with the edits applied, the copy
 * is fsynced, renamed over the original (atomic on POSIX) and the directory fsynced: after a crash the segment
 * is either wholly old or wholly new, and afterwards no file in the directory holds the erased bytes.
 */
import { LogPositionError } from "./log-errors.js";
import { fsyncDirectory, type LogFileSystem, writeFully } from "./log-file-system.js";
import { formatPosition, type LogPosition } from "./log-position.js";
import { paddedEventRecord, RecordType, redactedRecord } from "./record-format.js";
import { REWRITE_SUFFIX, SEGMENT_HEADER_BYTES } from "./segment-files.js";
import { READ_CHUNK_BYTES, SegmentReader } from "./segment-reader.js";
import type { SegmentState } from "./segment-state.js";

export type RecordEdit = { kind: "redact" } | { kind: "replace"; payload: Uint8Array };

/** The new bytes for one record; same length as the record they replace. */
export interface PlannedEdit {
  offset: number;
  bytes: Buffer;
  /** True when this edit turns an EVENT into a REDACTED record (for the counters). */
  redacts: boolean;
}

/**
 * Checks every position names a whole valid record of the log and computes its replacement. Nothing is written
 * unless every position is valid. Returns the edits grouped by segment state.
 */
export function planEdits(
  fsys: LogFileSystem,
  segments: readonly SegmentState[],
  edits: ReadonlyArray<{ position: LogPosition; edit: RecordEdit }>,
): Map<SegmentState, PlannedEdit[]> {
  const plan = new Map<SegmentState, Map<number, PlannedEdit>>();
  for (const { position, edit } of edits) {
    const state = segments.find((s) => s.segment === position.segment);
    const where = formatPosition(position);
    if (state === undefined) throw new LogPositionError(`no segment holds position ${where}`);
    if (position.offset < SEGMENT_HEADER_BYTES || position.offset >= state.bytes) {
      throw new LogPositionError(`position ${where} is outside the acknowledged records of its segment`);
    }
    const fd = fsys.openSync(state.path, "r");
    let planned: PlannedEdit | null;
    try {
      const record = new SegmentReader(fsys, fd, state.bytes).recordAt(position.offset);
      if (!record.ok) throw new LogPositionError(`no valid record starts at ${where} (${record.reason})`);
      if (edit.kind === "redact") {
        planned =
          record.type === RecordType.REDACTED
            ? null
            : { offset: position.offset, bytes: redactedRecord(record.size), redacts: true };
      } else {
        if (record.type !== RecordType.EVENT)
          throw new LogPositionError(`the record at ${where} is redacted`);
        planned = {
          offset: position.offset,
          bytes: paddedEventRecord(record.size, edit.payload),
          redacts: false,
        };
      }
    } finally {
      fsys.closeSync(fd);
    }
    if (planned === null) continue;
    let forSegment = plan.get(state);
    if (forSegment === undefined) {
      forSegment = new Map();
      plan.set(state, forSegment);
    }
    const previous = forSegment.get(planned.offset);
    // A redaction wins over an anonymisation of the same record in the same call.
    if (previous === undefined || !previous.redacts) forSegment.set(planned.offset, planned);
  }
  return new Map([...plan].map(([state, byOffset]) => [state, [...byOffset.values()]]));
}

/**
 * Atomically replaces the segment file with a copy carrying `edits`. Only the acknowledged bytes are copied, so
 * any residue of a failed write past them disappears too.
 */
export async function rewriteSegment(
  fsys: LogFileSystem,
  dir: string,
  state: SegmentState,
  edits: readonly PlannedEdit[],
): Promise<void> {
  const temp = state.path + REWRITE_SUFFIX;
  const source = await fsys.open(state.path, "r");
  let target: number | null = null;
  try {
    target = await fsys.open(temp, "w");
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, state.bytes));
    for (let at = 0; at < state.bytes; ) {
      const view = chunk.subarray(0, Math.min(chunk.length, state.bytes - at));
      await readExactly(fsys, source, view, at);
      for (const edit of edits) overlay(view, at, edit);
      await writeFully(fsys, target, view, at);
      at += view.length;
    }
    await fsys.fsync(target);
    await fsys.close(target);
    target = null;
    await fsys.rename(temp, state.path);
    await fsyncDirectory(fsys, dir);
  } catch (error) {
    if (target !== null) await fsys.close(target).catch(() => {});
    await fsys.unlink(temp).catch(() => {});
    throw error;
  } finally {
    await fsys.close(source).catch(() => {});
  }
}

/** Copies the part of `edit` that falls inside the chunk `view` (which starts at file offset `at`). */
function overlay(view: Buffer, at: number, edit: PlannedEdit): void {
  const from = Math.max(at, edit.offset);
  const to = Math.min(at + view.length, edit.offset + edit.bytes.length);
  if (from < to) edit.bytes.copy(view, from - at, from - edit.offset, to - edit.offset);
}

async function readExactly(fsys: LogFileSystem, fd: number, into: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const n = await fsys.read(fd, into, done, into.length - done, position + done);
    if (n === 0)
      throw Object.assign(new Error(`segment shorter than expected at byte ${position + done}`), {
        code: "EIO",
      });
    done += n;
  }
}
