/**
 * Synchronous, chunked access to the records of one segment file.
 *
 * Why chunked: segments are up to 64 MiB and a replay walks many of them; reading each whole file into one
 * buffer would double peak memory for nothing. The reader keeps one window (1 MiB by default, larger only for a
 * record that does not fit) and slides it forward. Payload views it returns are only valid until the next call.
 */
import type { LogFileSystem } from "./log-file-system.js";
import { readFullySync } from "./log-file-system.js";
import {
  type DecodedRecord,
  decodeRecord,
  MAX_RECORD_PAYLOAD_BYTES,
  peekRecordSize,
  RECORD_HEADER_BYTES,
} from "./record-format.js";

export const READ_CHUNK_BYTES = 1024 * 1024;

export class SegmentReader {
  private buf: Buffer;
  private bufStart = 0;
  private bufLen = 0;

  constructor(
    private readonly fsys: LogFileSystem,
    private readonly fd: number,
    /** Bytes of the file the reader may look at; nothing at or past it is read. */
    readonly limit: number,
    private readonly chunkBytes = READ_CHUNK_BYTES,
  ) {
    this.buf = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(limit, RECORD_HEADER_BYTES)));
  }

  /** Up to `n` bytes from `offset` (fewer at the limit), as a view valid until the next call. */
  bytes(offset: number, n: number): Buffer {
    const available = this.ensure(offset, n);
    const rel = offset - this.bufStart;
    return this.buf.subarray(rel, rel + available);
  }

  /** Decodes the record starting at `offset`, verifying its checksum. */
  recordAt(offset: number): DecodedRecord {
    const head = this.bytes(offset, RECORD_HEADER_BYTES);
    if (head.length < RECORD_HEADER_BYTES) return { ok: false, reason: "short-header" };
    // Check the length before fetching the body, so a corrupt length never makes us read (or allocate) more.
    const length = head.readUInt32LE(0);
    if (length > MAX_RECORD_PAYLOAD_BYTES) return { ok: false, reason: "bad-length" };
    return decodeRecord(this.bytes(offset, RECORD_HEADER_BYTES + length), 0);
  }

  /**
   * The first offset at or after `from` where a whole record with a valid checksum starts, or null if none does
   * before the limit. This is the byte-by-byte resynchronisation of LevelDB's reader: used to tell a torn tail
   * (nothing valid after) from corruption in the middle (valid records after), and to skip damaged ranges.
   */
  findNextRecord(from: number): number | null {
    for (let at = from; at + RECORD_HEADER_BYTES <= this.limit; at++) {
      const head = this.bytes(at, RECORD_HEADER_BYTES);
      const size = peekRecordSize(head, 0);
      if (size === null || at + size > this.limit) continue;
      if (this.recordAt(at).ok) return at;
    }
    return null;
  }

  /** Makes bytes [offset, offset + n) resident where the file has them; returns how many are. */
  private ensure(offset: number, n: number): number {
    const want = Math.max(0, Math.min(n, this.limit - offset));
    if (want === 0) return 0;
    if (offset >= this.bufStart && offset + want <= this.bufStart + this.bufLen) return want;
    const size = Math.min(Math.max(this.chunkBytes, want), this.limit - offset);
    if (this.buf.length < size) this.buf = Buffer.allocUnsafe(size);
    this.bufStart = offset;
    this.bufLen = readFullySync(this.fsys, this.fd, this.buf, size, offset);
    return Math.min(want, this.bufLen);
  }
}
