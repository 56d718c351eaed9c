import { readdirSync, statSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { EventLog } from "./event-log.js";
import { LogStateError } from "./log-errors.js";
import { comparePositions, type LogPosition } from "./log-position.js";
import { MAX_RECORD_PAYLOAD_BYTES } from "./record-format.js";
import { SEGMENT_HEADER_BYTES, segmentFileName } from "./segment-files.js";
import { eventPayload, readAll, seededRandom, tempDir } from "./test-helpers.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

/** Appends `count` payloads in batches of random size; returns payloads and positions in order. */
async function fill(log: EventLog, count: number, seed = 1) {
  const random = seededRandom(seed);
  const payloads: string[] = [];
  const positions: LogPosition[] = [];
  while (payloads.length < count) {
    const size = Math.min(count - payloads.length, 1 + Math.floor(random() * 7));
    const batch = Array.from({ length: size }, (_, k) => eventPayload(payloads.length + k));
    positions.push(...(await log.append(batch)));
    payloads.push(...batch.map((b) => b.toString()));
  }
  return { payloads, positions };
}

describe("EventLog", () => {
  it("round-trips many records across several segments, with increasing positions", async () => {
    const d = dir();
    const { log, recovery } = await EventLog.open({ dir: d, segmentBytes: 1024, durability: "none" });
    expect(recovery).toMatchObject({ records: 0, truncated: null, skipped: [] });
    expect(log.end).toEqual({ segment: 1, offset: SEGMENT_HEADER_BYTES });
    const { payloads, positions } = await fill(log, 500);
    for (let i = 1; i < positions.length; i++)
      expect(comparePositions(positions[i - 1]!, positions[i]!)).toBeLessThan(0);
    expect(log.segments().length).toBeGreaterThan(5);
    for (const s of log.segments()) {
      expect(statSync(s.path).size).toBe(s.bytes);
      // Only a segment holding a single oversized record may exceed segmentBytes.
      expect(s.bytes).toBeLessThanOrEqual(1024);
    }
    const records = [...log.read()];
    expect(records.map((r) => r.payload.toString())).toEqual(payloads);
    expect(records.map((r) => r.position)).toEqual(positions);
    const end = log.end;
    await log.close();

    const reopened = await EventLog.open({ dir: d, segmentBytes: 1024 });
    expect(reopened.recovery).toMatchObject({ records: 500, end, truncated: null, skipped: [] });
    expect(reopened.log.end).toEqual(end);
    expect(readAll(reopened.log)).toEqual(payloads);
    const more = await reopened.log.append([eventPayload(500)]);
    // The next record goes exactly at the old end, or starts the next segment.
    expect([end, { segment: end.segment + 1, offset: SEGMENT_HEADER_BYTES }]).toContainEqual(more[0]);
    await reopened.log.close();
  });

  it("reads a range: from inclusive, until exclusive", async () => {
    const { log } = await EventLog.open({ dir: dir(), segmentBytes: 700, durability: "none" });
    const { payloads, positions } = await fill(log, 120, 7);
    const slice = [...log.read(positions[30], positions[90])].map((r) => r.payload.toString());
    expect(slice).toEqual(payloads.slice(30, 90));
    expect([...log.read(positions[119])].length).toBe(1);
    expect([...log.read(log.end)].length).toBe(0);
    expect([...log.read(undefined, positions[0])].length).toBe(0);
    // Stopping early closes the file (the generator's finally runs).
    for (const record of log.read()) {
      expect(record.position).toEqual(positions[0]);
      break;
    }
    await log.close();
  });

  it("reports stat() and segments() for operators", async () => {
    const { log } = await EventLog.open({ dir: dir(), segmentBytes: 2048, durability: "none" });
    const { positions } = await fill(log, 80);
    const stat = log.stat();
    expect(stat).toMatchObject({
      records: 80,
      redacted: 0,
      first: positions[0],
      last: positions[79],
      end: log.end,
    });
    expect(stat.segments).toBe(log.segments().length);
    expect(stat.bytes).toBe(log.segments().reduce((n, s) => n + s.bytes, 0));
    expect(log.segments()[0]).toMatchObject({
      segment: 1,
      firstPosition: { segment: 1, offset: SEGMENT_HEADER_BYTES },
    });
    await log.close();
  });

  it("deletes whole old segments for retention, never the active one", async () => {
    const d = dir();
    const { log } = await EventLog.open({ dir: d, segmentBytes: 1024, durability: "none" });
    const { payloads, positions } = await fill(log, 200);
    const cut = positions[100]!;
    const deleted = await log.deleteSegmentsBefore(cut);
    expect(deleted).toEqual(Array.from({ length: cut.segment - 1 }, (_, i) => i + 1));
    expect(readdirSync(d)).not.toContain(segmentFileName(1));
    const firstKept = positions.findIndex((p) => p.segment === cut.segment);
    expect(readAll(log)).toEqual(payloads.slice(firstKept));
    expect(log.stat().first).toEqual(positions[firstKept]);
    await log.deleteSegmentsBefore(log.end);
    expect(log.segments().map((s) => s.segment)).toEqual([log.end.segment]);
    const end = log.end;
    await log.close();
    const reopened = await EventLog.open({ dir: d, segmentBytes: 1024 });
    expect(reopened.log.end).toEqual(end);
    expect(reopened.log.segments()[0]!.segment).toBe(end.segment);
    await reopened.log.close();
  });

  it("keeps appends in call order and gives an oversized record a segment of its own", async () => {
    const { log } = await EventLog.open({ dir: dir(), segmentBytes: 256, durability: "none" });
    const big = Buffer.from(JSON.stringify({ blob: "b".repeat(1000) }));
    const calls = [
      log.append([eventPayload(1)]),
      log.append([big]),
      log.append([]),
      log.append([eventPayload(2), eventPayload(3)]),
    ];
    const results = await Promise.all(calls);
    expect(results[2]).toEqual([]);
    const flat = results.flat();
    for (let i = 1; i < flat.length; i++) expect(comparePositions(flat[i - 1]!, flat[i]!)).toBeLessThan(0);
    expect(results[1]![0]).toEqual({ segment: 2, offset: SEGMENT_HEADER_BYTES });
    expect(readAll(log)).toEqual([eventPayload(1), big, eventPayload(2), eventPayload(3)].map(String));
    await log.close();
  });

  it("refuses oversized payloads, appends after close, and writes in read-only mode", async () => {
    const d = dir();
    const { log } = await EventLog.open({ dir: d });
    await expect(log.append([new Uint8Array(MAX_RECORD_PAYLOAD_BYTES + 1)])).rejects.toThrow(RangeError);
    expect(log.end).toEqual({ segment: 1, offset: SEGMENT_HEADER_BYTES });
    await log.append([eventPayload(1)]);
    await log.close();
    await log.close();
    await expect(log.append([eventPayload(2)])).rejects.toBeInstanceOf(LogStateError);

    const ro = await EventLog.open({ dir: d, readOnly: true });
    await expect(ro.log.append([eventPayload(2)])).rejects.toMatchObject({ code: "log_read_only" });
    await expect(ro.log.redact([{ segment: 1, offset: SEGMENT_HEADER_BYTES }])).rejects.toBeInstanceOf(
      LogStateError,
    );
    await expect(ro.log.deleteSegmentsBefore(ro.log.end)).rejects.toBeInstanceOf(LogStateError);
    expect(readAll(ro.log)).toEqual([eventPayload(1).toString()]);
    await ro.log.close();
  });

  it("validates options", async () => {
    await expect(EventLog.open({ dir: dir(), segmentBytes: 10 })).rejects.toThrow(RangeError);
    await expect(EventLog.open({ dir: dir(), intervalMs: 0 })).rejects.toThrow(RangeError);
  });
});
