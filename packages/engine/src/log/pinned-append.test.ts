import { afterEach, describe, expect, it } from "vitest";
import { EventLog } from "./event-log.js";
import { FaultyFileSystem } from "./faulty-file-system.js";
import { LogStateError, LogWriteError } from "./log-errors.js";
import { eventPayload, readAll, tempDir } from "./test-helpers.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function openFaulty() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const fsys = new FaultyFileSystem();
  const { log } = await EventLog.open({ dir: t.dir, fs: fsys });
  return { dir: t.dir, fsys, log };
}

describe("appendPinned", () => {
  it("resolves with positions in call order, like append", async () => {
    const { log } = await openFaulty();
    const errors: unknown[] = [];
    const [first, second] = await Promise.all([
      log.appendPinned([eventPayload(0)], (error) => errors.push(error)),
      log.append([eventPayload(1)]),
    ]);
    expect(first![0]!.offset).toBeLessThan(second![0]!.offset);
    expect(readAll(log)).toEqual([eventPayload(0).toString(), eventPayload(1).toString()]);
    expect(errors).toEqual([]);
    await log.close();
  });

  it("keeps a failed pinned record ahead of every later append until it is written", async () => {
    const { dir, fsys, log } = await openFaulty();
    fsys.fail("write", "ENOSPC");
    const errors: unknown[] = [];
    const pinned = log.appendPinned([eventPayload(0)], (error) => errors.push(error));
    // A later append fails with it: acknowledging it would put it in the log before the pinned record.
    await expect(log.append([eventPayload(1)])).rejects.toBeInstanceOf(LogWriteError);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]).toBeInstanceOf(LogWriteError);
    fsys.heal();
    await log.append([eventPayload(2)]);
    expect(await pinned).toHaveLength(1);
    expect(readAll(log)).toEqual([eventPayload(0).toString(), eventPayload(2).toString()]);
    await log.close();
    const { log: reopened } = await EventLog.open({ dir });
    expect(readAll(reopened)).toEqual([eventPayload(0).toString(), eventPayload(2).toString()]);
    await reopened.close();
  });

  it("retries a failed pinned record by itself when no other append comes", async () => {
    const { fsys, log } = await openFaulty();
    fsys.fail("fsync", "EIO");
    let failures = 0;
    const pinned = log.appendPinned([eventPayload(0)], () => {
      failures++;
      // Heal after the first failure: the retry that follows needs no new append to start it.
      fsys.heal();
    });
    expect(await pinned).toHaveLength(1);
    expect(failures).toBe(1);
    expect(readAll(log)).toEqual([eventPayload(0).toString()]);
    await log.close();
  });

  it("gives a pinned record up when the log closes before it could be written", async () => {
    const { fsys, log } = await openFaulty();
    fsys.fail("write", "ENOSPC");
    const errors: unknown[] = [];
    const pinned = log.appendPinned([eventPayload(0)], (error) => errors.push(error));
    const outcome = pinned.then(
      () => "written",
      (error: unknown) => error,
    );
    await expect(log.append([eventPayload(1)])).rejects.toBeInstanceOf(LogWriteError);
    await log.close();
    expect(await outcome).toBeInstanceOf(LogWriteError);
    await expect(log.appendPinned([eventPayload(2)], () => {})).rejects.toBeInstanceOf(LogStateError);
  });
});
