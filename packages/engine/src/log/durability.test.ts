import { readdirSync, statSync } from "node:fs";
import { basename } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EventLog, type EventLogOptions } from "./event-log.js";
import { FaultyFileSystem } from "./faulty-file-system.js";
import { LogWriteError } from "./log-errors.js";
import type { LogPosition } from "./log-position.js";
import { segmentFileName } from "./segment-files.js";
import { eventPayload, readAll, tempDir } from "./test-helpers.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function openFaulty(options: Omit<EventLogOptions, "dir" | "fs"> = {}) {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const fsys = new FaultyFileSystem();
  const { log } = await EventLog.open({ dir: t.dir, fs: fsys, ...options });
  fsys.resetCounts();
  return { dir: t.dir, fsys, log };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Reopens `dir` strictly and returns what a restarted engine would replay. */
async function reopen(dir: string) {
  const { log, recovery } = await EventLog.open({ dir });
  const payloads = readAll(log);
  await log.close();
  return { recovery, payloads };
}

describe("durability: always (group commit)", () => {
  it("shares fsyncs between concurrent appends: 100 appends, far fewer than 100 fsyncs", async () => {
    const { fsys, log } = await openFaulty();
    const positions = await Promise.all(Array.from({ length: 100 }, (_, i) => log.append([eventPayload(i)])));
    expect(fsys.count("fsync")).toBeLessThanOrEqual(5);
    // Each append got its own record, in call order.
    expect(positions.flat().map((p) => p.offset)).toEqual(
      [...positions.flat().map((p) => p.offset)].sort((a, b) => a - b),
    );
    expect(readAll(log)).toEqual(Array.from({ length: 100 }, (_, i) => eventPayload(i).toString()));
    await log.close();
  });

  it("appends arriving while an fsync is in flight all share the next fsync", async () => {
    const { fsys, log } = await openFaulty();
    const started = deferred();
    const release = deferred();
    fsys.beforeFsync = async () => {
      started.resolve();
      await release.promise;
    };
    let acknowledged = 0;
    const first = log.append([eventPayload(0)]).then(() => acknowledged++);
    await started.promise;
    const rest = Array.from({ length: 99 }, (_, i) =>
      log.append([eventPayload(i + 1)]).then(() => acknowledged++),
    );
    // Nothing is acknowledged while its fsync has not completed.
    await new Promise((r) => setImmediate(r));
    expect(acknowledged).toBe(0);
    fsys.beforeFsync = null;
    release.resolve();
    await Promise.all([first, ...rest]);
    expect(fsys.count("fsync")).toBe(2);
    expect(fsys.count("write")).toBe(2);
    await log.close();
  });
});

describe("durability: failing disk", () => {
  it("ENOSPC: rejects the batch, acknowledges nothing of it, cuts the torn write, recovers when space returns", async () => {
    const { dir, fsys, log } = await openFaulty();
    const good = Array.from({ length: 10 }, (_, i) => eventPayload(i));
    await log.append(good);
    const end = log.end;

    fsys.fail("write", "ENOSPC");
    const failed = [log.append([eventPayload(100), eventPayload(101)]), log.append([eventPayload(102)])];
    for (const attempt of failed) {
      const error = await attempt.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LogWriteError);
      expect(error).toMatchObject({ code: "ENOSPC" });
      expect((error as LogWriteError).cause).toMatchObject({ code: "ENOSPC" });
    }
    await expect(log.append([eventPayload(103)])).rejects.toMatchObject({ code: "ENOSPC" });
    expect(log.end).toEqual(end);
    expect(statSync(log.segments()[0]!.path).size).toBe(end.offset);
    expect(readAll(log)).toEqual(good.map(String));

    fsys.heal();
    const [next] = await log.append([eventPayload(11)]);
    expect(next).toEqual(end);
    await log.close();
    const after = await reopen(dir);
    expect(after.recovery).toMatchObject({ truncated: null, skipped: [], records: 11 });
    expect(after.payloads).toEqual([...good, eventPayload(11)].map(String));
  });

  it("EIO on fsync: rejects and rolls back the written records", async () => {
    const { dir, fsys, log } = await openFaulty();
    await log.append([eventPayload(1)]);
    fsys.fail("fsync", "EIO");
    await expect(log.append([eventPayload(2), eventPayload(3)])).rejects.toMatchObject({ code: "EIO" });
    // The cut-back itself fsyncs, which fails too: the log must cut again before the next write.
    fsys.heal();
    await log.append([eventPayload(4)]);
    await log.close();
    expect((await reopen(dir)).payloads).toEqual([eventPayload(1), eventPayload(4)].map(String));
  });

  it("never writes after a torn write it could not cut off", async () => {
    const { dir, fsys, log } = await openFaulty();
    await log.append([eventPayload(1)]);
    const path = log.segments()[0]!.path;
    fsys.fail("write", "ENOSPC");
    fsys.fail("ftruncate", "EIO");
    await expect(log.append([eventPayload(2)])).rejects.toMatchObject({ code: "ENOSPC" });
    const tornSize = statSync(path).size;
    expect(tornSize).toBeGreaterThan(log.end.offset);

    fsys.heal("write");
    // The disk accepts writes again, but the torn bytes are still there: the append is refused, nothing written.
    await expect(log.append([eventPayload(3)])).rejects.toMatchObject({ code: "EIO" });
    expect(statSync(path).size).toBe(tornSize);

    fsys.heal();
    await log.append([eventPayload(4)]);
    await log.close();
    const after = await reopen(dir);
    expect(after.recovery).toMatchObject({ truncated: null, skipped: [] });
    expect(after.payloads).toEqual([eventPayload(1), eventPayload(4)].map(String));
  });

  it("rolls back a batch spanning several segments wherever it fails", async () => {
    let failures = 0;
    for (const op of ["write", "fsync", "open"] as const) {
      for (let skip = 0; skip < 6; skip++) {
        const { dir, fsys, log } = await openFaulty({ segmentBytes: 600 });
        await log.append(Array.from({ length: 5 }, (_, i) => eventPayload(i)));
        const end = log.end;
        fsys.fail(op, "ENOSPC", skip);
        const batch = Array.from({ length: 12 }, (_, i) => eventPayload(100 + i));
        const outcome = await log.append(batch).then(
          (p: LogPosition[]) => p,
          (e: unknown) => e,
        );
        fsys.heal();
        const context = `${op} failing after ${skip} calls`;
        if (outcome instanceof LogWriteError) {
          failures++;
          expect(log.end, context).toEqual(end);
          expect(
            log.segments().map((s) => s.segment),
            context,
          ).toEqual([end.segment]);
          expect(readAll(log), context).toHaveLength(5);
        } else {
          // The fault came after the batch was durable (e.g. at close): it must be whole.
          expect(readAll(log), context).toHaveLength(17);
        }
        await log.append([eventPayload(999)]);
        // No segment file of the failed batch is left behind (the cut-back is retried before this append).
        expect(readdirSync(dir).sort(), context).toEqual(log.segments().map((s) => basename(s.path)));
        await log.close();
        const after = await reopen(dir);
        expect(after.recovery.truncated, context).toBeNull();
        expect(after.payloads, context).toHaveLength(outcome instanceof LogWriteError ? 6 : 18);
        expect(after.payloads.at(-1), context).toBe(eventPayload(999).toString());
      }
    }
    // Almost every injection point hits the batch itself (a few land after it, e.g. at close).
    expect(failures).toBeGreaterThanOrEqual(15);
  });
});

describe("durability: interval and none", () => {
  it("interval: resolves after write, fsyncs in the background, and always at close", async () => {
    const { fsys, log } = await openFaulty({ durability: "interval", intervalMs: 60_000 });
    await log.append([eventPayload(1)]);
    await log.append([eventPayload(2)]);
    expect(fsys.count("fsync")).toBe(0);
    await log.close();
    expect(fsys.count("fsync")).toBe(1);

    const quick = await openFaulty({ durability: "interval", intervalMs: 5 });
    await quick.log.append([eventPayload(1)]);
    await vi.waitFor(() => expect(quick.fsys.count("fsync")).toBe(1));
    await quick.log.close();
  });

  it("interval: a failed background fsync is reported to the next append and nothing of it is written", async () => {
    const { fsys, log } = await openFaulty({ durability: "interval", intervalMs: 5 });
    await log.append([eventPayload(1)]);
    fsys.fail("fsync", "EIO");
    await vi.waitFor(() => expect(fsys.count("fsync")).toBeGreaterThan(0));
    fsys.heal();
    const end = log.end;
    await expect(log.append([eventPayload(2)])).rejects.toMatchObject({ code: "EIO" });
    expect(log.end).toEqual(end);
    await log.append([eventPayload(3)]);
    await log.close();
  });

  it("none: never fsyncs appends, but close does", async () => {
    const { fsys, log, dir } = await openFaulty({ durability: "none" });
    for (let i = 0; i < 50; i++) await log.append([eventPayload(i)]);
    expect(fsys.count("fsync")).toBe(0);
    await log.close();
    expect(fsys.count("fsync")).toBe(1);
    expect((await reopen(dir)).payloads).toHaveLength(50);
    expect(readdirSync(dir)).toEqual([segmentFileName(1)]);
  });
});
