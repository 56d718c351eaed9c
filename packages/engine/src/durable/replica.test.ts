import { rmSync } from "node:fs";
import { join } from "node:path";
import type { SibylEvent } from "@sibyl/events";
import { afterEach, describe, expect, it } from "vitest";
import { exportSnapshot, importSnapshot } from "../snapshot/snapshot-transfer.js";
import { T0, view } from "../test-events.js";
import type { ReplicaEngine } from "./durable-engine.js";
import { cleanReplay, filesContaining, freshDataDir, sampleEvents } from "./durable-test-support.js";
import { MemorySharedLog } from "./memory-shared-log.js";
import { openEngine } from "./open-engine.js";

const open: ReplicaEngine[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const engine of open.splice(0)) await engine.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function replica(
  log: MemorySharedLog,
  dataDir = dataDirectory(),
  extra: { snapshotEvery?: number } = {},
) {
  const engine = await openEngine({ dataDir, log, snapshotIntervalMs: 0, ...extra });
  open.push(engine);
  return engine;
}

function dataDirectory(): string {
  const dir = freshDataDir();
  dirs.push(dir);
  return dir;
}

/** The events a shared log holds, decoded, in offset order. */
async function logged(log: MemorySharedLog): Promise<SibylEvent[]> {
  const events: SibylEvent[] = [];
  const stop = new AbortController();
  const end = await log.end();
  for await (const batch of log.read(0, stop.signal)) {
    for (const record of batch.records) {
      if (record.payload.length > 0) events.push(JSON.parse(Buffer.from(record.payload).toString("utf8")));
    }
    if (batch.records.at(-1)?.offset === end - 1 || end === 0) stop.abort();
  }
  return events;
}

describe("replicas on a shared log", () => {
  it("fold the same events in the log's order, whichever replica took them", async () => {
    const log = new MemorySharedLog();
    const a = await replica(log);
    const b = await replica(log);
    const events = sampleEvents(600);
    await Promise.all([
      a.append(events.slice(0, 200)),
      b.append(events.slice(200, 400)),
      a.append(events.slice(400, 600)),
    ]);
    const response = await b.recommend({ placement: "trending", user_info: { visitor_id: "v3" } });
    await a.catchUp();
    await b.catchUp();
    const inLogOrder = cleanReplay(await logged(log));
    expect(a.stateHash()).toBe(inLogOrder.stateHash());
    expect(b.stateHash()).toBe(a.stateHash());
    expect(a.replication()).toMatchObject({ lag: 0, nextOffset: 601, end: 601, error: null });
    expect(a.stats().attribution.find((entry) => entry.placement === "trending")?.requests).toBe(
      b.stats().attribution.find((entry) => entry.placement === "trending")?.requests,
    );
    expect(response.rec_id).toMatch(/^r-/);
  });

  it("answers a request on the replica that took it; every replica applies that answer for attribution", async () => {
    const log = new MemorySharedLog();
    const a = await replica(log);
    const b = await replica(log);
    await a.append(sampleEvents(300));
    await b.catchUp();
    const answer = await b.recommend({ placement: "trending", user_info: { visitor_id: "v1" } });
    expect(answer.items.length).toBeGreaterThan(0);
    const shown = answer.items.map((entry) => entry.item_id);
    await a.append([
      {
        event_type: "RecoShow",
        user_info: { visitor_id: "v1" },
        rec_id: answer.rec_id,
        item_ids: shown,
        event_time: T0 + 400_000,
      },
      {
        event_type: "RecoAck",
        user_info: { visitor_id: "v1" },
        rec_id: answer.rec_id,
        item_id: shown[0]!,
        event_time: T0 + 400_001,
      },
    ]);
    await b.catchUp();
    for (const engine of [a, b]) {
      const trending = engine.stats().attribution.find((entry) => entry.placement === "trending");
      expect(trending).toMatchObject({ requests: 1, impressions: shown.length, clicks: 1 });
    }
    expect(a.stateHash()).toBe(b.stateHash());
  });

  it("applies a logged answer as it stands, and answers anew only a request logged without one", async () => {
    const log = new MemorySharedLog();
    const a = await replica(log);
    await a.append(sampleEvents(100));
    const request = {
      event_type: "RecoRequest" as const,
      user_info: { visitor_id: "v2" },
      placement: "trending",
      rec_id: "r-logged",
      event_time: T0 + 200_000,
    };
    const answer = {
      rec_id: "r-logged",
      placement: "trending",
      items: [{ item_id: "sku-1", score: 1, strategy: "offline" }],
    };
    await log.append([
      { payload: Buffer.from(JSON.stringify(request)), answer: Buffer.from(JSON.stringify(answer)) },
      { payload: Buffer.from(JSON.stringify({ ...request, rec_id: "r-bare" })) },
    ]);
    await a.catchUp();
    const trending = a.stats().attribution.find((entry) => entry.placement === "trending");
    expect(trending?.requests).toBe(2);
    expect(trending?.byStrategy.offline?.requests).toBe(1);
    expect(trending?.byStrategy.popular?.requests).toBe(1);
  });

  it("acknowledges an append only once the replica that took it has applied it (read your writes)", async () => {
    const log = new MemorySharedLog();
    const a = await replica(log);
    const { positions } = await a.append([view("ann", "tent", T0)]);
    expect(positions).toEqual([0]);
    expect(a.lastApplied).toBe(0);
    expect(a.inspectVisitor("ann")?.history.map((entry) => entry.item_id)).toEqual(["tent"]);
  });

  it("refuses invalid events before logging them, and skips records that are not events", async () => {
    const log = new MemorySharedLog();
    const a = await replica(log);
    const result = await a.append([
      { event_type: "DetailItemView", user_info: { visitor_id: "ann" } } as unknown as SibylEvent,
      view("ann", "tent", T0),
    ]);
    expect(result.accepted).toBe(1);
    expect(result.rejected[0]).toMatchObject({ index: 0, error: { code: "invalid_request" } });
    await log.append([
      { payload: Buffer.from("not json") },
      { payload: new Uint8Array(0) },
      { payload: Buffer.from('{"event_type":"Nope"}') },
    ]);
    await a.append([view("bob", "tent", T0 + 1)]);
    expect(a.replication()).toMatchObject({ skipped: 3, applied: 2, nextOffset: 5 });
  });

  it("restarts from its snapshot and the offset it covers, then reads the rest", async () => {
    const log = new MemorySharedLog();
    const writer = await replica(log);
    const dataDir = dataDirectory();
    const first = await replica(log, dataDir, { snapshotEvery: 100 });
    await writer.append(sampleEvents(250));
    await first.catchUp();
    await first.close();
    await writer.append(sampleEvents(100, 2));
    const again = await replica(log, dataDir);
    expect(again.recovery.snapshot).not.toBeNull();
    expect(again.recovery.log).toMatchObject({ name: "memory:log", end: 350 });
    expect(again.recovery.log.from).toBeGreaterThanOrEqual(100);
    expect(again.recovery.log.from).toBeLessThanOrEqual(250);
    await again.catchUp();
    expect(again.stateHash()).toBe(cleanReplay(await logged(log)).stateHash());
  });

  it("starts a new replica from a snapshot exported by another", async () => {
    const log = new MemorySharedLog();
    const a = await replica(log);
    await a.append(sampleEvents(300));
    await a.snapshot();
    await a.append(sampleEvents(50, 3));
    const file = join(dataDirectory(), "exported.snap");
    const exported = exportSnapshot(a.dataDir, file);
    expect(exported.position).toBe("memory:log@300");
    const target = dataDirectory();
    importSnapshot(target, file);
    const c = await replica(log, target);
    expect(c.recovery.log.from).toBe(300);
    await c.catchUp();
    expect(c.stateHash()).toBe(a.stateHash());
  });

  it("loads only snapshots built from the same log", async () => {
    const dataDir = dataDirectory();
    const a = await replica(new MemorySharedLog("memory:one"), dataDir);
    await a.append(sampleEvents(20));
    await a.snapshot();
    await a.close();
    const b = await replica(new MemorySharedLog("memory:two"), dataDir);
    expect(b.recovery.snapshot).toBeNull();
    expect(b.recovery.fallbacks[0]?.reason).toContain("built from memory:one, not memory:two");
    const file = await openEngine({ dataDir });
    expect(file.recovery.fallbacks.some((entry) => entry.reason.includes("memory:one"))).toBe(true);
    await file.close();
  });

  it("erases a forgotten person from its state and its snapshots; the shared log keeps the records", async () => {
    const secret = "visitor-secret-replica-9d2";
    const log = new MemorySharedLog();
    const a = await replica(log);
    const b = await replica(log);
    await a.append(sampleEvents(50));
    await a.append([view(secret, "sku-1", T0 + 500_000)]);
    await a.snapshot();
    await b.catchUp();
    await b.snapshot();
    await a.append([{ event_type: "UserForget", id_kind: "visitor", id: secret, event_time: T0 + 500_001 }]);
    await b.catchUp();
    for (const engine of [a, b]) {
      expect(engine.inspectVisitor(secret)).toBeUndefined();
      expect(filesContaining(engine.dataDir, secret)).toEqual([]);
    }
    expect(JSON.stringify(await logged(log))).toContain(secret);
  });

  it("fails waiting appends when it closes, and takes none after", async () => {
    const log = new MemorySharedLog();
    const a = await replica(log);
    await a.close();
    await expect(a.append([view("ann", "tent", T0)])).rejects.toMatchObject({ code: "closed" });
  });
});
