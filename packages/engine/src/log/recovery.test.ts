import { cpSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { EventLog } from "./event-log.js";
import { LogCorruptionError } from "./log-errors.js";
import type { LogPosition } from "./log-position.js";
import { encodeSegmentHeader, REWRITE_SUFFIX, SEGMENT_HEADER_BYTES, segmentPath } from "./segment-files.js";
import { eventPayload, readAll, seededRandom, snapshotDir, tempDir } from "./test-helpers.js";

const SEGMENT_BYTES = 4096;

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

interface Fixture {
  dir: string;
  payloads: string[];
  positions: LogPosition[];
  /** Record sizes in bytes, parallel to positions. */
  sizes: number[];
  lastSegment: number;
}

/** A closed log of 120 records over several 4 KiB segments, written in batches. */
async function makeFixture(d: string): Promise<Fixture> {
  const { log } = await EventLog.open({ dir: d, segmentBytes: SEGMENT_BYTES, durability: "none" });
  const payloads: Buffer[] = Array.from({ length: 120 }, (_, i) => eventPayload(i));
  const positions: LogPosition[] = [];
  for (let i = 0; i < payloads.length; i += 5)
    positions.push(...(await log.append(payloads.slice(i, i + 5))));
  const lastSegment = log.end.segment;
  await log.close();
  return {
    dir: d,
    payloads: payloads.map(String),
    positions,
    sizes: payloads.map((p) => p.length + 9),
    lastSegment,
  };
}

/** Indexes of the records in `segment`. */
function inSegment(f: Fixture, segment: number): number[] {
  return f.positions.flatMap((p, i) => (p.segment === segment ? [i] : []));
}

function flipByte(path: string, offset: number, mask: number): void {
  const bytes = readFileSync(path);
  bytes[offset]! ^= mask;
  writeFileSync(path, bytes);
}

describe("recovery at open", () => {
  let pristine: Fixture;
  beforeAll(async () => {
    const t = tempDir();
    pristine = await makeFixture(t.dir);
    return t.cleanup;
  });
  function copyOfPristine(): Fixture {
    const d = dir();
    rmSync(d, { recursive: true });
    cpSync(pristine.dir, d, { recursive: true });
    return { ...pristine, dir: d };
  }

  it("has a fixture with several segments", () => {
    expect(pristine.lastSegment).toBeGreaterThanOrEqual(3);
    expect(inSegment(pristine, pristine.lastSegment).length).toBeGreaterThan(3);
  });

  it("cuts a torn tail at hundreds of random offsets, keeping every whole record before the cut", async () => {
    const random = seededRandom(20240601);
    const last = pristine.lastSegment;
    const lastIndexes = inSegment(pristine, last);
    const boundaries = [
      SEGMENT_HEADER_BYTES,
      ...lastIndexes.map((i) => pristine.positions[i]!.offset + pristine.sizes[i]!),
    ];
    const fileBytes = boundaries.at(-1)!;
    const work = dir();
    for (let round = 0; round < 300; round++) {
      // Mostly random cuts, sometimes exactly on a record boundary or inside the header.
      const pick = random();
      const cut =
        pick < 0.1
          ? boundaries[Math.floor(random() * boundaries.length)]!
          : pick < 0.15
            ? Math.floor(random() * SEGMENT_HEADER_BYTES)
            : Math.floor(random() * (fileBytes + 1));
      rmSync(work, { recursive: true, force: true });
      cpSync(pristine.dir, work, { recursive: true });
      const path = segmentPath(work, last);
      truncateSync(path, cut);

      const kept = [...boundaries].reverse().find((b) => b <= cut) ?? SEGMENT_HEADER_BYTES;
      const survivors = pristine.positions.filter(
        (p, i) => p.segment < last || p.offset + pristine.sizes[i]! <= cut,
      );
      const { log, recovery } = await EventLog.open({
        dir: work,
        segmentBytes: SEGMENT_BYTES,
        durability: "none",
      });
      const context = `cut at ${cut}`;
      expect(recovery.records, context).toBe(survivors.length);
      expect(recovery.skipped, context).toEqual([]);
      if (cut < SEGMENT_HEADER_BYTES) {
        expect(recovery.truncated, context).toEqual({ segment: last, offset: 0, bytes: cut });
      } else if (cut === kept) {
        expect(recovery.truncated, context).toBeNull();
      } else {
        expect(recovery.truncated, context).toEqual({ segment: last, offset: kept, bytes: cut - kept });
      }
      expect(log.end, context).toEqual({ segment: last, offset: kept });
      expect(statSync(path).size, context).toBe(kept);
      expect(readAll(log), context).toEqual(pristine.payloads.slice(0, survivors.length));
      // Appending continues right where the whole records end.
      const [next] = await log.append([eventPayload(999)]);
      expect(next, context).toEqual({ segment: last, offset: kept });
      await log.close();
    }
    // The last round's log, reopened strictly, holds exactly survivors + the new record.
    const { log, recovery } = await EventLog.open({ dir: work, segmentBytes: SEGMENT_BYTES });
    expect(recovery.truncated).toBeNull();
    expect(readAll(log).at(-1)).toBe(eventPayload(999).toString());
    await log.close();
  });

  it("treats random byte flips in the last record as a torn tail", async () => {
    const random = seededRandom(7);
    const lastIndex = pristine.positions.length - 1;
    const at = pristine.positions[lastIndex]!;
    const size = pristine.sizes[lastIndex]!;
    for (let round = 0; round < 40; round++) {
      const f = copyOfPristine();
      flipByte(
        segmentPath(f.dir, at.segment),
        at.offset + Math.floor(random() * size),
        1 + Math.floor(random() * 255),
      );
      const { log, recovery } = await EventLog.open({ dir: f.dir, segmentBytes: SEGMENT_BYTES });
      expect(recovery.truncated).toEqual({ segment: at.segment, offset: at.offset, bytes: size });
      expect(readAll(log)).toEqual(pristine.payloads.slice(0, -1));
      expect(log.end).toEqual(at);
      await log.close();
    }
  });

  it("refuses corruption in the middle, naming the file and offset; skipCorrupt skips exactly the damage", async () => {
    const random = seededRandom(99);
    for (let round = 0; round < 30; round++) {
      const f = copyOfPristine();
      // Any record but the last of the log: valid records follow it.
      const victim = Math.floor(random() * (pristine.positions.length - 1));
      const at = pristine.positions[victim]!;
      const path = segmentPath(f.dir, at.segment);
      flipByte(
        path,
        at.offset + Math.floor(random() * pristine.sizes[victim]!),
        1 + Math.floor(random() * 255),
      );

      const error = await EventLog.open({ dir: f.dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LogCorruptionError);
      expect(error).toMatchObject({ file: path, offset: at.offset, code: "log_corrupt" });
      // Refusing to open changed nothing.
      expect(readFileSync(path).length).toBe(statSync(segmentPath(pristine.dir, at.segment)).size);

      const { log, recovery } = await EventLog.open({ dir: f.dir, skipCorrupt: true });
      expect(recovery.skipped).toEqual([
        { segment: at.segment, offset: at.offset, bytes: pristine.sizes[victim]! },
      ]);
      expect(recovery.truncated).toBeNull();
      expect(readAll(log)).toEqual(pristine.payloads.filter((_, i) => i !== victim));
      await log.append([eventPayload(1000)]);
      expect(readAll(log).at(-1)).toBe(eventPayload(1000).toString());
      await log.close();
    }
  });

  it("refuses a torn end in a segment that is not the last", async () => {
    const f = copyOfPristine();
    const middle = inSegment(f, 2);
    const victim = middle.at(-1)!;
    const at = f.positions[victim]!;
    truncateSync(segmentPath(f.dir, 2), at.offset + 5);
    await expect(EventLog.open({ dir: f.dir })).rejects.toMatchObject({
      file: segmentPath(f.dir, 2),
      offset: at.offset,
    });
    const { log, recovery } = await EventLog.open({ dir: f.dir, skipCorrupt: true });
    expect(recovery.skipped).toEqual([{ segment: 2, offset: at.offset, bytes: 5 }]);
    expect(readAll(log)).toEqual(f.payloads.filter((_, i) => i !== victim));
    await log.close();
  });

  it("refuses a foreign file named like a segment, a newer format, and a missing segment", async () => {
    const garbage = dir();
    writeFileSync(
      join(garbage, "000000000001.log"),
      Buffer.from("this is not a log file, it is a shopping list"),
    );
    writeFileSync(join(garbage, "notes.txt"), "stray files that are not segments are ignored");
    await expect(EventLog.open({ dir: garbage })).rejects.toMatchObject({
      file: join(garbage, "000000000001.log"),
      offset: 0,
      reason: expect.stringContaining("magic"),
    });
    await expect(EventLog.open({ dir: garbage, skipCorrupt: true })).rejects.toBeInstanceOf(
      LogCorruptionError,
    );
    expect(readFileSync(join(garbage, "000000000001.log"), "utf8")).toContain("shopping list");

    const future = copyOfPristine();
    const header = encodeSegmentHeader();
    header.writeUInt32LE(99, 8);
    const bytes = readFileSync(segmentPath(future.dir, 1));
    header.copy(bytes, 0);
    writeFileSync(segmentPath(future.dir, 1), bytes);
    await expect(EventLog.open({ dir: future.dir })).rejects.toMatchObject({ reason: "bad-version" });

    const holed = copyOfPristine();
    rmSync(segmentPath(holed.dir, 2));
    await expect(EventLog.open({ dir: holed.dir })).rejects.toMatchObject({
      file: segmentPath(holed.dir, 2),
    });
  });

  it("treats a zero-filled header of the last segment as torn", async () => {
    const f = copyOfPristine();
    const next = segmentPath(f.dir, f.lastSegment + 1);
    writeFileSync(next, Buffer.alloc(40));
    const { log, recovery } = await EventLog.open({ dir: f.dir });
    expect(recovery.truncated).toEqual({ segment: f.lastSegment + 1, offset: 0, bytes: 40 });
    expect(readFileSync(next).equals(encodeSegmentHeader())).toBe(true);
    expect(readAll(log)).toEqual(f.payloads);
    await log.close();
  });

  it("removes a leftover of an interrupted rewrite", async () => {
    const f = copyOfPristine();
    const leftover = segmentPath(f.dir, 1) + REWRITE_SUFFIX;
    writeFileSync(leftover, "half a copy");
    const { log, recovery } = await EventLog.open({ dir: f.dir });
    expect(recovery.removedLeftovers).toEqual([leftover]);
    expect(snapshotDir(f.dir).map((s) => s.name)).not.toContain(`000000000001.log${REWRITE_SUFFIX}`);
    await log.close();
  });

  it("in read-only mode reports a torn tail but modifies nothing", async () => {
    const f = copyOfPristine();
    const at = f.positions.at(-1)!;
    const path = segmentPath(f.dir, at.segment);
    truncateSync(path, at.offset + 3);
    writeFileSync(segmentPath(f.dir, 1) + REWRITE_SUFFIX, "leftover");
    const before = snapshotDir(f.dir);
    const { log, recovery } = await EventLog.open({ dir: f.dir, readOnly: true });
    expect(recovery.truncated).toEqual({ segment: at.segment, offset: at.offset, bytes: 3 });
    expect(recovery.removedLeftovers).toEqual([]);
    expect(log.end).toEqual(at);
    expect(readAll(log)).toEqual(f.payloads.slice(0, -1));
    await expect(log.append([eventPayload(1)])).rejects.toMatchObject({ code: "log_read_only" });
    await log.close();
    expect(snapshotDir(f.dir)).toEqual(before);
    await expect(EventLog.open({ dir: join(f.dir, "missing"), readOnly: true })).rejects.toMatchObject({
      code: "ENOENT",
    });
  });
});
