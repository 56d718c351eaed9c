/**
 * Positions in the log: a segment number and the byte offset of a record's first byte in that segment's file.
 *
 * Why not a global sequence number: a (segment, offset) pair is what a reader needs to seek directly, stays
 * valid when old segments are deleted, and never needs an index. Redaction keeps record sizes, so positions
 * stay valid after erasure too.
 */

export interface LogPosition {
  readonly segment: number;
  readonly offset: number;
}

/** Negative when a is before b, zero when equal, positive when after. */
export function comparePositions(a: LogPosition, b: LogPosition): number {
  return a.segment !== b.segment ? a.segment - b.segment : a.offset - b.offset;
}

/** "3:4096": short, sortable by eye, safe in URLs and log lines. */
export function formatPosition(p: LogPosition): string {
  return `${p.segment}:${p.offset}`;
}

const POSITION_PATTERN = /^(\d{1,15}):(\d{1,15})$/;

/** Parses what formatPosition prints; throws RangeError on anything else. */
export function parsePosition(text: string): LogPosition {
  const match = POSITION_PATTERN.exec(text.trim());
  if (match === null)
    throw new RangeError(`not a log position (expected "segment:offset"): ${JSON.stringify(text)}`);
  const segment = Number(match[1]);
  const offset = Number(match[2]);
  if (segment < 1) throw new RangeError(`log segments are numbered from 1: ${JSON.stringify(text)}`);
  return { segment, offset };
}
