import { readdirSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { EventLog } from "./event-log.js";
import { FaultyFileSystem } from "./faulty-file-system.js";
import { LogPositionError, LogWriteError } from "./log-errors.js";
import type { LogPosition } from "./log-position.js";
import { REWRITE_SUFFIX } from "./segment-files.js";
import { eventPayload, filesContaining, readAll, snapshotDir, tempDir } from "./test-helpers.js";

const MARKER = "ERASE-ME-7f3a9c";

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A log of 90 records over several segments; every 10th carries MARKER, including ones in the active segment. */
async function setup(durability: "always" | "interval" = "always") {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const fsys = new FaultyFileSystem();
  const { log } = await EventLog.open({ dir: t.dir, segmentBytes: 1500, durability, fs: fsys });
  const payloads = Array.from({ length: 90 }, (_, i) => eventPayload(i, i % 10 === 9 ? MARKER : ""));
  const positions: LogPosition[] = [];
  for (let i = 0; i < payloads.length; i += 3)
    positions.push(...(await log.append(payloads.slice(i, i + 3))));
  const marked = positions.filter((_, i) => i % 10 === 9);
  return { dir: t.dir, fsys, log, payloads: payloads.map(String), positions, marked };
}

describe("erasure", () => {
  it("redact leaves no trace of the erased bytes in any file and keeps every other position readable", async () => {
    const { dir, log, payloads, positions, marked } = await setup();
    expect(marked.some((p) => p.segment === log.end.segment)).toBe(true);
    expect(filesContaining(dir, MARKER).length).toBeGreaterThan(1);
    const end = log.end;

    await log.redact(marked);
    expect(filesContaining(dir, MARKER)).toEqual([]);
    const kept = payloads.filter((_, i) => i % 10 !== 9);
    expect(readAll(log)).toEqual(kept);
    expect([...log.read()].map((r) => r.position)).toEqual(positions.filter((_, i) => i % 10 !== 9));
    expect(log.end).toEqual(end);
    expect(log.stat()).toMatchObject({ records: 81, redacted: 9 });
    // Redacting again is a no-op.
    await log.redact(marked.slice(0, 2));
    expect(log.stat().redacted).toBe(9);

    // The active segment was replaced underneath the writer: appends must land in the new file.
    const [next] = await log.append([eventPayload(1000)]);
    expect(next).toEqual(end);
    await log.close();
    const reopened = await EventLog.open({ dir });
    expect(reopened.recovery).toMatchObject({ truncated: null, skipped: [], records: 91 });
    expect(readAll(reopened.log)).toEqual([...kept, eventPayload(1000).toString()]);
    expect(reopened.log.stat().redacted).toBe(9);
    await reopened.log.close();
    expect(filesContaining(dir, MARKER)).toEqual([]);
    expect(readdirSync(dir).some((name) => name.endsWith(REWRITE_SUFFIX))).toBe(false);
  });

  it("replace anonymises a record in place, padded with spaces so the JSON still parses", async () => {
    const { dir, log, payloads, positions, marked } = await setup("interval");
    const target = marked.at(-1)!;
    const index = positions.indexOf(target);
    const anonymous = { type: "view", visitor: "anonymous", item: `item-${index}` };
    await log.replace(target, Buffer.from(JSON.stringify(anonymous)));
    const record = [...log.read(target)][0]!;
    expect(record.position).toEqual(target);
    expect(record.payload.length).toBe(Buffer.byteLength(payloads[index]!));
    expect(record.payload.toString().trimEnd()).toBe(JSON.stringify(anonymous));
    expect(JSON.parse(record.payload.toString())).toEqual(anonymous);
    expect(filesContaining(dir, payloads[index]!)).toEqual([]);
    expect(readAll(log).filter((p) => p.includes(MARKER))).toHaveLength(marked.length - 1);

    await expect(log.replace(target, Buffer.alloc(10_000, 0x20))).rejects.toThrow(RangeError);
    await log.redact([target]);
    await expect(log.replace(target, Buffer.from("{}"))).rejects.toBeInstanceOf(LogPositionError);
    await log.close();
  });

  it("refuses positions that are not records, changing nothing", async () => {
    const { dir, log, positions } = await setup();
    const before = snapshotDir(dir);
    const inside = { segment: positions[4]!.segment, offset: positions[4]!.offset + 3 };
    for (const bad of [inside, { segment: 99, offset: 12 }, { segment: 1, offset: 0 }, log.end]) {
      await expect(log.redact([positions[0]!, bad])).rejects.toBeInstanceOf(LogPositionError);
    }
    expect(snapshotDir(dir)).toEqual(before);
    await log.close();
  });

  it("a failed rewrite leaves the segment unchanged and no temporary file behind", async () => {
    const { dir, fsys, log, payloads, marked } = await setup();
    fsys.fail("rename", "EIO");
    await expect(log.redact(marked)).rejects.toBeInstanceOf(LogWriteError);
    fsys.heal();
    expect(readdirSync(dir).some((name) => name.endsWith(REWRITE_SUFFIX))).toBe(false);
    expect(readAll(log)).toEqual(payloads);
    await log.redact(marked);
    expect(filesContaining(dir, MARKER)).toEqual([]);
    await log.close();
  });

  it("runs in order with appends queued around it", async () => {
    const { log, marked } = await setup("interval");
    const before = log.append([eventPayload(2000, MARKER)]);
    const redaction = before.then((p) => log.redact([...marked, ...p]));
    const after = log.append([eventPayload(2001)]);
    await Promise.all([before, redaction, after]);
    expect(readAll(log).filter((p) => p.includes(MARKER))).toEqual([]);
    expect(readAll(log).at(-1)).toBe(eventPayload(2001).toString());
    await log.close();
  });
});
