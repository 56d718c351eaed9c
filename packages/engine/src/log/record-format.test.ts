import { crc32c } from "@node-rs/crc32";
import { describe, expect, it } from "vitest";
import {
  decodeRecord,
  encodeRecord,
  MAX_RECORD_PAYLOAD_BYTES,
  paddedEventRecord,
  RECORD_HEADER_BYTES,
  RecordType,
  redactedRecord,
} from "./record-format.js";

describe("record format", () => {
  it("frames [len][crc32c(type+payload)][type][payload] little-endian", () => {
    const payload = Buffer.from('{"a":1}');
    const record = encodeRecord(RecordType.EVENT, payload);
    expect(record.length).toBe(RECORD_HEADER_BYTES + payload.length);
    expect(record.readUInt32LE(0)).toBe(payload.length);
    expect(record.readUInt32LE(4)).toBe(crc32c(Buffer.concat([Buffer.of(1), payload])));
    expect(record[8]).toBe(RecordType.EVENT);
    expect(record.subarray(9).equals(payload)).toBe(true);
  });

  it("uses CRC-32C (Castagnoli)", () => {
    // The standard check value of CRC-32C.
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
  });

  it("decodes what it encodes, from any offset of a larger buffer", () => {
    const a = encodeRecord(RecordType.EVENT, Buffer.from("first"));
    const b = encodeRecord(RecordType.EVENT, Buffer.from(""));
    const buf = Buffer.concat([Buffer.from("junk"), a, b]);
    const first = decodeRecord(buf, 4);
    expect(first.ok && first.payload.toString()).toBe("first");
    const second = decodeRecord(buf, 4 + a.length);
    expect(second.ok && second.size).toBe(RECORD_HEADER_BYTES);
  });

  it("rejects every kind of damage with a reason", () => {
    const record = encodeRecord(RecordType.EVENT, Buffer.from("hello"));
    expect(decodeRecord(record.subarray(0, 8), 0)).toEqual({ ok: false, reason: "short-header" });
    expect(decodeRecord(record.subarray(0, record.length - 1), 0)).toEqual({
      ok: false,
      reason: "truncated",
    });
    const flipped = Buffer.from(record);
    flipped[10]! ^= 0x01;
    expect(decodeRecord(flipped, 0)).toEqual({ ok: false, reason: "bad-checksum" });
    const badType = Buffer.from(record);
    badType[8] = 7;
    expect(decodeRecord(badType, 0)).toEqual({ ok: false, reason: "bad-type" });
    // The type byte is inside the checksum: turning an EVENT into a REDACTED record is detected.
    const retyped = Buffer.from(record);
    retyped[8] = RecordType.REDACTED;
    expect(decodeRecord(retyped, 0)).toEqual({ ok: false, reason: "bad-checksum" });
  });

  it("refuses a length over the maximum without reading (or allocating) it", () => {
    const header = Buffer.alloc(RECORD_HEADER_BYTES);
    header.writeUInt32LE(0xffff_fff0, 0);
    header[8] = RecordType.EVENT;
    expect(decodeRecord(header, 0)).toEqual({ ok: false, reason: "bad-length" });
    expect(() => encodeRecord(RecordType.EVENT, new Uint8Array(MAX_RECORD_PAYLOAD_BYTES + 1))).toThrow(
      RangeError,
    );
  });

  it("redacts and pads to exactly the original size", () => {
    const original = encodeRecord(RecordType.EVENT, Buffer.from('{"name":"Ada Lovelace"}'));
    const redacted = redactedRecord(original.length);
    expect(redacted.length).toBe(original.length);
    const r = decodeRecord(redacted, 0);
    expect(r.ok && r.type).toBe(RecordType.REDACTED);
    expect(r.ok && r.payload.every((b) => b === 0)).toBe(true);
    const padded = paddedEventRecord(original.length, Buffer.from('{"name":"x"}'));
    expect(padded.length).toBe(original.length);
    const p = decodeRecord(padded, 0);
    expect(p.ok && JSON.parse(p.payload.toString())).toEqual({ name: "x" });
    expect(() => paddedEventRecord(original.length, Buffer.alloc(original.length))).toThrow(RangeError);
  });
});
