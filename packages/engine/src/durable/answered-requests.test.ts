import type { SibylEvent } from "@sibyl/events";
import { describe, expect, it } from "vitest";
import { FaultyFileSystem } from "../log/faulty-file-system.js";
import { LogWriteError } from "../log/index.js";
import { T0 } from "../test-events.js";
import { freshDataDir, loggedEvents, sampleEvents } from "./durable-test-support.js";
import { openEngine } from "./open-engine.js";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const ack = (recId: string, itemId: string, time: number): SibylEvent => ({
  event_type: "RecoAck",
  user_info: { visitor_id: "v1" },
  rec_id: recId,
  item_id: itemId,
  event_time: time,
});

describe("recommendation requests are answered before their record is durable", () => {
  it("answers while the log's fsync is held, and the record is durable by close", async () => {
    const dataDir = freshDataDir();
    const fs = new FaultyFileSystem();
    const engine = await openEngine({ dataDir, fs });
    await engine.append(sampleEvents(100));
    const release = deferred();
    fs.beforeFsync = () => release.promise;
    const response = await engine.recommend({ placement: "trending", user_info: { visitor_id: "v1" } });
    expect(response.items.length).toBeGreaterThan(0);
    const hash = engine.stateHash();
    release.resolve();
    fs.beforeFsync = null;
    await engine.close();
    expect((await loggedEvents(dataDir)).at(-1)).toMatchObject({ rec_id: response.rec_id });
    const reopened = await openEngine({ dataDir });
    expect(reopened.stateHash()).toBe(hash);
    await reopened.close();
  });

  it("applies a request after the batches logged before it, whose fsync it waits for", async () => {
    const dataDir = freshDataDir();
    const fs = new FaultyFileSystem();
    const engine = await openEngine({ dataDir, fs });
    const events = sampleEvents(200);
    await engine.append(events.slice(0, 100));
    const release = deferred();
    fs.beforeFsync = () => release.promise;
    // The batch is queued first, so the request's answer must reflect it, as a replay's would.
    const appended = engine.append(events.slice(100));
    let answered = false;
    const response = engine
      .recommend({ placement: "trending", user_info: { visitor_id: "v1" }, event_time: T0 + 300_000 })
      .then((answer) => {
        answered = true;
        return answer;
      });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    fs.beforeFsync = null;
    release.resolve();
    await appended;
    const answer = await response;
    await engine.append([ack(answer.rec_id, answer.items[0]!.item_id, T0 + 300_001)]);
    const hash = engine.stateHash();
    await engine.close();
    const reopened = await openEngine({ dataDir });
    expect(reopened.stateHash()).toBe(hash);
    expect(reopened.stats().attribution.find((entry) => entry.placement === "trending")?.clicks).toBe(1);
    await reopened.close();
  });

  it("keeps a request whose record failed ahead of later events, reports the failure, and recovers it", async () => {
    const dataDir = freshDataDir();
    const fs = new FaultyFileSystem();
    const failures: Error[] = [];
    const engine = await openEngine({ dataDir, fs, onBackgroundError: (error) => failures.push(error) });
    await engine.append(sampleEvents(100));
    fs.fail("write", "ENOSPC");
    const response = await engine.recommend({
      placement: "trending",
      user_info: { visitor_id: "v1" },
      event_time: T0 + 300_000,
    });
    const click = ack(response.rec_id, response.items[0]!.item_id, T0 + 300_001);
    // The click names the request; while the request cannot be logged, neither can anything after it.
    await expect(engine.append([click])).rejects.toBeInstanceOf(LogWriteError);
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures[0]).toBeInstanceOf(LogWriteError);
    fs.heal();
    await engine.append([click]);
    const hash = engine.stateHash();
    await engine.close();
    const logged = await loggedEvents(dataDir);
    expect(logged.slice(-2).map((event) => event.event_type)).toEqual(["RecoRequest", "RecoAck"]);
    const reopened = await openEngine({ dataDir });
    expect(reopened.stateHash()).toBe(hash);
    await reopened.close();
  });

  it("snapshots only what is logged: a snapshot right after a request covers it, and replays nothing twice", async () => {
    const dataDir = freshDataDir();
    const engine = await openEngine({ dataDir, snapshotEvery: 0 });
    await engine.append(sampleEvents(100));
    const requests = Array.from({ length: 20 }, (_, index) =>
      engine.recommend({ placement: "trending", user_info: { visitor_id: `v${index}` } }),
    );
    const snapshot = await engine.snapshot();
    await Promise.all(requests);
    const hash = engine.stateHash();
    await engine.close();
    const reopened = await openEngine({ dataDir });
    expect(reopened.recovery).toMatchObject({ snapshot: snapshot.path, replayed: 0 });
    expect(reopened.stateHash()).toBe(hash);
    await reopened.close();
  });
});
