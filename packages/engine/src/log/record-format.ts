/**
 * Framing of one record in a log segment, after LevelDB's log format:
 *
 *   [u32 LE payload length][u32 LE CRC-32C over (type byte + payload)][u8 type][payload]
 *
 * Why this shape: the length lets a reader step from record to record without parsing payloads; the checksum
 * tells a whole record from a torn write or flipped bits; the type byte is inside the checksum so a record
 * cannot silently change kind. CRC-32C (Castagnoli) is the polynomial of iSCSI, ext4, LevelDB and Kafka, and
 * has hardware support on x86 and ARM.
 *
 * The length is checked against `MAX_RECORD_PAYLOAD_BYTES` before anything is allocated, so a corrupt length
 * field cannot make a reader allocate gigabytes.
 */
import { crc32c } from "@node-rs/crc32";

/** Bytes in front of every payload: length (4) + CRC (4) + type (1). */
export const RECORD_HEADER_BYTES = 9;

/** Largest payload a record may carry (16 MiB); anything larger in a length field is corruption. */
export const MAX_RECORD_PAYLOAD_BYTES = 16 * 1024 * 1024;

/** Record types. Unknown values are treated as corruption, so a new type needs a new format version. */
export const RecordType = {
  /** Payload is the UTF-8 JSON of one stamped event, exactly as the engine applied it. */
  EVENT: 1,
  /**
   * Payload was erased in place (right to erasure): same total length, zero-filled, fresh CRC. Keeping the length
   * keeps every later position valid; readers skip these records.
   */
  REDACTED: 2,
} as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

export function isRecordType(value: number): value is RecordType {
  return value === RecordType.EVENT || value === RecordType.REDACTED;
}

/** Total on-disk size of a record carrying `payloadBytes` bytes. */
export function recordSize(payloadBytes: number): number {
  return RECORD_HEADER_BYTES + payloadBytes;
}

/** The checksum stored in a record: CRC-32C over the type byte, then the payload. */
export function recordChecksum(type: number, payload: Uint8Array): number {
  return crc32c(payload, crc32c(Uint8Array.of(type)));
}

/** Frames one payload into a fresh buffer. Throws RangeError for payloads over the maximum. */
export function encodeRecord(type: RecordType, payload: Uint8Array): Buffer {
  if (payload.length > MAX_RECORD_PAYLOAD_BYTES) {
    throw new RangeError(
      `log record payload is ${payload.length} bytes; the maximum is ${MAX_RECORD_PAYLOAD_BYTES}`,
    );
  }
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(recordChecksum(type, payload), 4);
  out[8] = type;
  out.set(payload, RECORD_HEADER_BYTES);
  return out;
}

/** Why a record failed to decode; used in error messages and recovery reports. */
export type InvalidReason = "short-header" | "bad-length" | "truncated" | "bad-type" | "bad-checksum";

export type DecodedRecord =
  | { ok: true; type: RecordType; payload: Buffer; size: number }
  | { ok: false; reason: InvalidReason };

/**
 * Decodes the record starting at `offset` of `buf`, looking at no byte at or past `limit` (defaults to the
 * buffer's length). The payload is a view into `buf`, not a copy.
 */
export function decodeRecord(buf: Buffer, offset: number, limit = buf.length): DecodedRecord {
  if (limit - offset < RECORD_HEADER_BYTES) return { ok: false, reason: "short-header" };
  const length = buf.readUInt32LE(offset);
  if (length > MAX_RECORD_PAYLOAD_BYTES) return { ok: false, reason: "bad-length" };
  const size = RECORD_HEADER_BYTES + length;
  if (limit - offset < size) return { ok: false, reason: "truncated" };
  const type = buf[offset + 8]!;
  if (!isRecordType(type)) return { ok: false, reason: "bad-type" };
  const payload = buf.subarray(offset + RECORD_HEADER_BYTES, offset + size);
  if (recordChecksum(type, payload) !== buf.readUInt32LE(offset + 4))
    return { ok: false, reason: "bad-checksum" };
  return { ok: true, type, payload, size };
}

/**
 * Reads only the header at `offset` and says how many bytes the whole record would need, or null when the header
 * alone already shows it is not a record (bad length, unknown type). Lets a scanner fetch exactly enough bytes.
 */
export function peekRecordSize(buf: Buffer, offset: number): number | null {
  const length = buf.readUInt32LE(offset);
  if (length > MAX_RECORD_PAYLOAD_BYTES) return null;
  if (!isRecordType(buf[offset + 8]!)) return null;
  return RECORD_HEADER_BYTES + length;
}

/** The REDACTED record that replaces an `originalSize`-byte record: same size, zero payload, valid CRC. */
export function redactedRecord(originalSize: number): Buffer {
  return encodeRecord(RecordType.REDACTED, Buffer.alloc(originalSize - RECORD_HEADER_BYTES));
}

/**
 * An EVENT record of exactly `originalSize` bytes carrying `payload` followed by ASCII spaces. JSON tolerates
 * trailing whitespace, so an anonymised event stays parseable while every later position stays valid.
 */
export function paddedEventRecord(originalSize: number, payload: Uint8Array): Buffer {
  const room = originalSize - RECORD_HEADER_BYTES;
  if (payload.length > room) {
    throw new RangeError(`replacement payload is ${payload.length} bytes; the record holds at most ${room}`);
  }
  const padded = Buffer.alloc(room, 0x20);
  padded.set(payload, 0);
  return encodeRecord(RecordType.EVENT, padded);
}
