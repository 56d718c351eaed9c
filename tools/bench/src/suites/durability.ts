import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine, type Durability, loadSnapshot, openEngine, saveSnapshot } from "@sibyl/engine";
import type { SibylEvent } from "@sibyl/events";
import { measureParseOnly } from "../report/measure.js";
import { figure } from "../report/report.js";
import { syntheticStream } from "../stream/synthetic-stream.js";
import type { Suite } from "../suite.js";

const scratch = () => mkdtempSync(join(tmpdir(), "sibyl-bench-"));

/** Log append per durability mode with batches of 1 and 1,000, against parse-only. */
export const appendSuite: Suite = {
  name: "append",
  title: "Durable append (log + apply) per durability mode and batch size",
  async run({ quick }) {
    const events = [
      ...syntheticStream({ events: quick ? 20_000 : 200_000, items: 100_000, visitors: 100_000 }),
    ];
    const parseOnly = measureParseOnly(
      events.slice(0, 100_000).map((event) => JSON.stringify(event)),
      3,
    );
    const figures = [];
    for (const durability of ["always", "interval", "none"] as Durability[]) {
      for (const batch of [1, 1_000]) {
        // One fsync per append makes single-event appends in `always` mode disk-bound: fewer of them.
        const count =
          batch === 1
            ? durability === "always"
              ? quick
                ? 200
                : 2_000
              : quick
                ? 2_000
                : 20_000
            : events.length;
        const dataDir = scratch();
        const engine = await openEngine({ dataDir, durability, snapshotEvery: 0, snapshotIntervalMs: 0 });
        const start = performance.now();
        for (let offset = 0; offset < count; offset += batch)
          await engine.append(events.slice(offset, offset + batch));
        const rate = count / ((performance.now() - start) / 1000);
        await engine.close();
        rmSync(dataDir, { recursive: true, force: true });
        figures.push(
          figure(
            `append ${durability}, batches of ${batch}`,
            rate,
            "events/s",
            "parse-only",
            parseOnly.perSecond,
          ),
        );
      }
    }
    return figures;
  },
};

/**
 * Recovery: replaying a log against applying the same events in memory (target ≥ 0.5 ×), and snapshot write and
 * load against replaying (targets: each ≤ 10 s at 10 M events, load ≥ 5 × faster than replay).
 */
export const recoverySuite: Suite = {
  name: "recovery",
  title: "Recovery: log replay and snapshots",
  async run({ quick }) {
    const count = quick ? 50_000 : 2_000_000;
    const events: SibylEvent[] = [
      ...syntheticStream({ events: count, items: 100_000, visitors: 1_000_000, seed: 11 }),
    ];
    const dataDir = scratch();
    const writer = await openEngine({ dataDir, durability: "none", snapshotEvery: 0, snapshotIntervalMs: 0 });
    for (let offset = 0; offset < count; offset += 10_000)
      await writer.append(events.slice(offset, offset + 10_000));
    await writer.close();

    const inMemory = createEngine();
    const applyStart = performance.now();
    for (let offset = 0; offset < count; offset += 100_000)
      inMemory.applyBatch(events.slice(offset, offset + 100_000));
    const applyRate = count / ((performance.now() - applyStart) / 1000);

    const replayStart = performance.now();
    const replayed = await openEngine({ dataDir });
    const replaySeconds = (performance.now() - replayStart) / 1000;
    await replayed.close();
    if (replayed.stateHash() !== inMemory.stateHash()) throw new Error("replay and in-memory apply disagree");

    const path = join(dataDir, "bench.snap");
    const writeStart = performance.now();
    const { bytes } = saveSnapshot(inMemory, path);
    const writeSeconds = (performance.now() - writeStart) / 1000;
    const loadStart = performance.now();
    const { engine: loaded } = loadSnapshot(path);
    const loadSeconds = (performance.now() - loadStart) / 1000;
    if (loaded.stateHash() !== inMemory.stateHash())
      throw new Error("a loaded snapshot differs from its state");
    rmSync(dataDir, { recursive: true, force: true });
    const label = `${(count / 1e6).toFixed(count < 1e6 ? 2 : 0)} M events`;
    return [
      figure(`replay from the log (${label})`, count / replaySeconds, "events/s", "applyBatch", applyRate, {
        op: ">=",
        ratio: 0.5,
      }),
      figure(
        `snapshot write (${label}, ${(bytes / 2 ** 20).toFixed(0)} MiB)`,
        writeSeconds,
        "s",
        "replay",
        replaySeconds,
      ),
      figure(`snapshot load (${label})`, loadSeconds, "s", "replay", replaySeconds, { op: "<=", ratio: 0.2 }),
    ];
  },
};
