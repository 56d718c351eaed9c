import { readdirSync, truncateSync, statSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UnknownPlacementError } from "../errors/engine-errors.js";
import { FaultyFileSystem } from "../log/faulty-file-system.js";
import { LogCorruptionError, LogWriteError } from "../log/index.js";
import { T0, view } from "../test-events.js";
import {
  cleanReplay,
  filesContaining,
  freshDataDir,
  loggedEvents,
  sampleEvents,
} from "./durable-test-support.js";
import { openEngine, ReadOnlyEngineError } from "./open-engine.js";

describe("openEngine", () => {
  it("makes appended events durable: a reopened engine has the same state", async () => {
    const dataDir = freshDataDir();
    const engine = await openEngine({ dataDir });
    const events = sampleEvents(300);
    const result = await engine.append(events);
    expect(result).toMatchObject({ accepted: 300, rejected: [] });
    expect(result.positions).toHaveLength(300);
    const hash = engine.stateHash();
    await engine.close();
    const reopened = await openEngine({ dataDir });
    expect(reopened.recovery).toMatchObject({ snapshot: null, replayed: 300, refused: 0 });
    expect(reopened.stateHash()).toBe(hash);
    expect(reopened.stateHash()).toBe(cleanReplay(events).stateHash());
    await reopened.close();
  });

  it("stamps event_time on arrival and logs the stamped event", async () => {
    const dataDir = freshDataDir();
    const engine = await openEngine({ dataDir, clock: () => T0 + 42 });
    const { event_time: _time, ...undated } = view("v", "a", 0);
    await engine.append([undated]);
    await engine.close();
    expect(await loggedEvents(dataDir)).toEqual([{ ...undated, event_time: T0 + 42 }]);
  });

  it("refuses events it cannot apply before they reach the log, and accepts the rest", async () => {
    const dataDir = freshDataDir();
    const engine = await openEngine({ dataDir });
    const result = await engine.append([
      view("v", "a", T0),
      { event_type: "RecoRequest", user_info: { visitor_id: "v" }, placement: "nope", event_time: T0 },
      view("v", "b", T0 + 1),
    ]);
    expect(result.accepted).toBe(2);
    expect(result.rejected.map(({ index, error }) => [index, error.constructor])).toEqual([
      [1, UnknownPlacementError],
    ]);
    await engine.close();
    expect((await loggedEvents(dataDir)).map((event) => event.event_type)).toEqual([
      "DetailItemView",
      "DetailItemView",
    ]);
  });

  it("logs recommendation requests with their rec_id, so a replay answers and attributes the same", async () => {
    const dataDir = freshDataDir();
    const engine = await openEngine({ dataDir });
    await engine.append(sampleEvents(100));
    const response = await engine.recommend({
      placement: "trending",
      user_info: { visitor_id: "v1" },
      event_time: T0 + 200_000,
    });
    await engine.append([
      {
        event_type: "RecoAck",
        user_info: { visitor_id: "v1" },
        rec_id: response.rec_id,
        item_id: response.items[0]!.item_id,
        event_time: T0 + 200_001,
      },
    ]);
    const hash = engine.stateHash();
    await engine.close();
    const logged = await loggedEvents(dataDir);
    expect(logged.at(-2)).toMatchObject({ event_type: "RecoRequest", rec_id: response.rec_id });
    const reopened = await openEngine({ dataDir });
    expect(reopened.stateHash()).toBe(hash);
    expect(reopened.stats().attribution.find((entry) => entry.placement === "trending")?.clicks).toBe(1);
    await reopened.close();
  });

  it("recovers from the newest snapshot plus the log after it", async () => {
    const dataDir = freshDataDir();
    const engine = await openEngine({ dataDir, snapshotEvery: 0 });
    const events = sampleEvents(400);
    await engine.append(events.slice(0, 250));
    const snapshot = await engine.snapshot();
    expect(snapshot.bytes).toBeGreaterThan(0);
    await engine.append(events.slice(250));
    const hash = engine.stateHash();
    await engine.close();
    const reopened = await openEngine({ dataDir });
    expect(reopened.recovery).toMatchObject({ snapshot: snapshot.path, replayed: 150, fallbacks: [] });
    expect(reopened.stateHash()).toBe(hash);
    expect(hash).toBe(cleanReplay(events).stateHash());
    await reopened.close();
  });

  it("takes snapshots every N events and keeps the configured number", async () => {
    const dataDir = freshDataDir();
    const engine = await openEngine({ dataDir, snapshotEvery: 100, snapshotsKept: 2 });
    for (let batch = 0; batch < 5; batch++)
      await engine.append(
        sampleEvents(100, batch + 1).map((event) => ({
          ...event,
          event_time: event.event_time! + batch * 1e6,
        })),
      );
    await engine.close();
    expect(readdirSync(join(dataDir, "snapshots"))).toHaveLength(2);
  });

  it("falls back to an older snapshot, or a full replay, when the newest is damaged", async () => {
    const dataDir = freshDataDir();
    const engine = await openEngine({ dataDir, snapshotEvery: 0 });
    const events = sampleEvents(300);
    await engine.append(events.slice(0, 100));
    const older = await engine.snapshot();
    await engine.append(events.slice(100, 200));
    const newer = await engine.snapshot();
    await engine.append(events.slice(200));
    const hash = engine.stateHash();
    await engine.close();
    const bytes = readFileSync(newer.path);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(newer.path, bytes);
    const reopened = await openEngine({ dataDir });
    expect(reopened.recovery.snapshot).toBe(older.path);
    expect(reopened.recovery.fallbacks).toEqual([
      { path: newer.path, reason: expect.stringMatching(/checksum|damaged/) },
    ]);
    expect(reopened.stateHash()).toBe(hash);
    await reopened.close();
    truncateSync(older.path, 10);
    const replayed = await openEngine({ dataDir });
    expect(replayed.recovery).toMatchObject({ snapshot: null, replayed: 300 });
    expect(replayed.stateHash()).toBe(hash);
    await replayed.close();
  });

  it("truncates a torn log tail, reports it, and equals a clean replay of what remains", async () => {
    const dataDir = freshDataDir();
    const engine = await openEngine({ dataDir });
    await engine.append(sampleEvents(200));
    await engine.close();
    const segment = join(dataDir, "log", readdirSync(join(dataDir, "log"))[0]!);
    truncateSync(segment, statSync(segment).size - 7);
    const reopened = await openEngine({ dataDir });
    expect(reopened.recovery.log.truncated).toMatchObject({ segment: 1 });
    expect(reopened.recovery.replayed).toBe(199);
    expect(reopened.stateHash()).toBe(cleanReplay(await loggedEvents(dataDir)).stateHash());
    await reopened.close();
  });

  it("refuses to start on corruption in the middle of the log, naming file and offset, unless told to skip", async () => {
    const dataDir = freshDataDir();
    const engine = await openEngine({ dataDir });
    await engine.append(sampleEvents(200));
    await engine.close();
    const segment = join(dataDir, "log", readdirSync(join(dataDir, "log"))[0]!);
    const bytes = readFileSync(segment);
    bytes[Math.floor(bytes.length / 3)]! ^= 0x55;
    writeFileSync(segment, bytes);
    const error = await openEngine({ dataDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LogCorruptionError);
    expect((error as LogCorruptionError).file).toBe(segment);
    expect((error as LogCorruptionError).offset).toBeGreaterThan(0);
    const skipping = await openEngine({ dataDir, skipCorrupt: true });
    expect(skipping.recovery.log.skipped.length).toBe(1);
    expect(skipping.recovery.replayed).toBe(199);
    await skipping.close();
  });

  it("rejects an append it cannot make durable (disk full), stays consistent, and appends again once space returns", async () => {
    const dataDir = freshDataDir();
    const fs = new FaultyFileSystem();
    const engine = await openEngine({ dataDir, fs });
    await engine.append(sampleEvents(50));
    const hash = engine.stateHash();
    fs.fail("write", "ENOSPC");
    const failed = await engine
      .append([view("v", "lost", T0 + 10_000_000)])
      .catch((caught: unknown) => caught);
    expect(failed).toBeInstanceOf(LogWriteError);
    expect((failed as LogWriteError).code).toBe("ENOSPC");
    expect(engine.stateHash()).toBe(hash);
    fs.heal();
    await engine.append([view("v", "kept", T0 + 10_000_001)]);
    await engine.close();
    const logged = await loggedEvents(dataDir);
    expect(logged).toHaveLength(51);
    expect(JSON.stringify(logged)).not.toContain('"lost"');
    const reopened = await openEngine({ dataDir });
    expect(reopened.stateHash()).toBe(cleanReplay(logged).stateHash());
    await reopened.close();
  });

  it("erases a forgotten visitor from the log and snapshots: no file in the data directory holds their id", async () => {
    const dataDir = freshDataDir();
    const engine = await openEngine({ dataDir, snapshotEvery: 0 });
    const secret = "visitor-7f3a2c9e";
    await engine.append(sampleEvents(100));
    await engine.append([
      view(secret, "sku-1", T0 + 500_000),
      view({ visitor_id: secret, user_id: "user-secret-42" }, "sku-2", T0 + 500_001),
      {
        event_type: "UserMerge",
        from_visitor_id: secret,
        to_user_id: "user-secret-42",
        event_time: T0 + 500_002,
      },
    ]);
    await engine.snapshot();
    await engine.append([view("someone-else", "sku-1", T0 + 500_003)]);
    expect(filesContaining(dataDir, secret).length).toBeGreaterThan(0);
    await engine.append([
      { event_type: "UserForget", id_kind: "visitor", id: secret, event_time: T0 + 500_004 },
    ]);
    expect(filesContaining(dataDir, secret)).toEqual([]);
    expect(filesContaining(dataDir, "user-secret-42")).toEqual([]);
    const hash = engine.stateHash();
    await engine.close();
    const reopened = await openEngine({ dataDir });
    expect(reopened.stateHash()).toBe(hash);
    expect(reopened.inspectVisitor(secret)).toBeUndefined();
    await reopened.close();
  });

  it("rebuilds any past moment read-only: by time and by log position, equal to the matching prefix", async () => {
    const dataDir = freshDataDir();
    const engine = await openEngine({ dataDir, snapshotEvery: 120 });
    const events = sampleEvents(500);
    const { positions } = await engine.append(events);
    await engine.close();
    for (const cut of [0, 1, 119, 120, 121, 333, 499]) {
      const prefix = cleanReplay(events.slice(0, cut)).stateHash();
      const byPosition = await openEngine({ dataDir, until: positions[cut]! });
      expect(byPosition.stateHash(), `position of event ${cut}`).toBe(prefix);
      await byPosition.close();
      const byTime = await openEngine({
        dataDir,
        until: new Date(events[cut]!.event_time! - 1).toISOString(),
      });
      expect(byTime.stateHash(), `time before event ${cut}`).toBe(prefix);
      await expect(byTime.append([view("v", "a", T0)])).rejects.toBeInstanceOf(ReadOnlyEngineError);
      await byTime.close();
    }
  });
});
