import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine, type Engine, loadSnapshot, saveSnapshot } from "@sibyl/engine";
import type { SibylEvent } from "@sibyl/events";
import { measureParseOnly, percentile } from "../report/measure.js";
import { figure } from "../report/report.js";
import { itemId, syntheticStream } from "../stream/synthetic-stream.js";
import type { Suite } from "../suite.js";

const CHUNK = 100_000;

/** `applyBatch` on the realistic mix at 1 M items and 1 M visitors against parse-only (target ≥ 0.25 ×). */
export const applySuite: Suite = {
  name: "apply",
  title: "Engine applyBatch on the realistic mix (1 M items, 1 M visitors, default windows)",
  run({ quick }) {
    const warmup = quick ? 50_000 : 1_000_000;
    const measured = quick ? 50_000 : 1_000_000;
    const stream = syntheticStream({ events: warmup + measured, items: 1_000_000, visitors: 1_000_000 });
    const engine = createEngine();
    feed(engine, stream, warmup);
    const lines: string[] = [];
    for (let index = 0; index < measured; index++) lines.push(JSON.stringify(stream.next().value));
    const parseOnly = measureParseOnly(lines, 3);
    const events = lines.map((line) => JSON.parse(line) as SibylEvent);
    lines.length = 0;
    const start = performance.now();
    for (let offset = 0; offset < events.length; offset += CHUNK)
      engine.applyBatch(events.slice(offset, offset + CHUNK));
    const rate = measured / ((performance.now() - start) / 1000);
    return [
      figure("applyBatch", rate, "events/s", "parse-only", parseOnly.perSecond, { op: ">=", ratio: 0.25 }),
    ];
  },
};

/**
 * The state after 10 M events (1 M visitors, 100 k items): `recommend` p50/p99 per default placement against
 * 200 × the parse-only time of one event, and the resident set after a full GC (target ≤ 1 GiB).
 */
export const scaleSuite: Suite = {
  name: "scale",
  title: "Engine at scale: recommend latency per default placement and memory after 10 M events",
  run({ quick }) {
    const total = quick ? 200_000 : 10_000_000;
    const items = 100_000;
    const visitors = 1_000_000;
    gc();
    const rssBefore = process.memoryUsage().rss;
    const engine = createEngine();
    const sample: string[] = [];
    const stream = syntheticStream({ events: total, items, visitors, seed: 7 });
    const started = performance.now();
    for (let fed = 0; fed < total; fed += CHUNK) {
      const chunk = take(stream, CHUNK);
      if (sample.length < 200_000)
        for (const event of chunk.slice(0, 20_000)) sample.push(JSON.stringify(event));
      engine.applyBatch(chunk);
      if (!quick && fed % 1_000_000 === 0) console.log(`  fed ${(fed / 1e6).toFixed(0)} M events …`);
    }
    const feedSeconds = (performance.now() - started) / 1000;
    gc();
    const rss = process.memoryUsage().rss - rssBefore;
    const stats = engine.stats();
    const parseOnly = measureParseOnly(sample, 3);
    const perEventParseMicros = 1e6 / parseOnly.perSecond;
    const figures = [
      figure("feed rate (10 M events)", total / feedSeconds, "events/s", "parse-only", parseOnly.perSecond),
    ];
    const now = stats.now + 1;
    const requests = quick ? 200 : 2_000;
    for (const placement of engine.placements()) {
      const latencies: number[] = [];
      // The first requests of a placement compile its code paths; they are not what a running server sees.
      for (let index = -Math.min(500, requests); index < requests; index++) {
        const visitor = `v-${((index + requests) * 7919) % visitors}`;
        const context = itemId(((index + requests) * 104_729) % 2_000);
        const start = performance.now();
        engine.recommend({
          event_type: "RecoRequest",
          placement: placement.placement_id,
          user_info: { visitor_id: visitor },
          context_item_ids: [context],
          query:
            placement.placement_id === "search"
              ? ["acme", "item 12", "northwind"][(index + requests) % 3]
              : undefined,
          event_time: now + index + requests,
        });
        if (index >= 0) latencies.push((performance.now() - start) * 1000);
      }
      const p99 = percentile(latencies, 99);
      figures.push(
        figure(
          `recommend ${placement.placement_id} p50`,
          percentile(latencies, 50),
          "µs",
          "parse-only of one event",
          perEventParseMicros,
        ),
        figure(
          `recommend ${placement.placement_id} p99`,
          p99,
          "µs",
          "parse-only of one event",
          perEventParseMicros,
          {
            op: "<=",
            ratio: 200,
          },
        ),
      );
    }
    // Snapshots of the same state: write and load each ≤ 10 s, load ≥ 5 × faster than applying the events again.
    const dir = mkdtempSync(join(tmpdir(), "sibyl-bench-snapshot-"));
    const snapshotPath = join(dir, "scale.snap");
    const writeStart = performance.now();
    const { bytes } = saveSnapshot(engine, snapshotPath);
    const writeSeconds = (performance.now() - writeStart) / 1000;
    const loadStart = performance.now();
    const { engine: loaded } = loadSnapshot(snapshotPath);
    const loadSeconds = (performance.now() - loadStart) / 1000;
    rmSync(dir, { recursive: true, force: true });
    if (loaded.stats().totalEvents !== engine.stats().totalEvents)
      throw new Error("a loaded snapshot lost events");
    const label = `${(total / 1e6).toFixed(total < 1e6 ? 1 : 0)} M events, ${(bytes / 2 ** 20).toFixed(0)} MiB`;
    figures.push(
      figure(`snapshot write (${label})`, writeSeconds, "s", "10 s target", 10, { op: "<=", ratio: 1 }),
      figure(`snapshot load (${label})`, loadSeconds, "s", "10 s target", 10, { op: "<=", ratio: 1 }),
      figure(
        "snapshot load vs applying the events",
        loadSeconds,
        "s",
        "apply of the same events",
        feedSeconds,
        {
          op: "<=",
          ratio: 0.2,
        },
      ),
    );
    const gib = 2 ** 30;
    figures.push(
      figure("resident set after GC", rss / 2 ** 20, "MiB", "1 GiB target", gib / 2 ** 20, {
        op: "<=",
        ratio: 1,
      }),
      figure(
        "bytes per visitor (all state / visitors)",
        rss / stats.visitors,
        "B",
        "bytes per item (all state / items)",
        rss / stats.items,
      ),
    );
    console.log(
      `  state: ${stats.visitors.toLocaleString("en-US")} visitors, ${stats.items.toLocaleString("en-US")} items`,
    );
    return figures;
  },
};

function feed(engine: Engine, stream: Iterator<SibylEvent>, count: number): void {
  for (let fed = 0; fed < count; fed += CHUNK) engine.applyBatch(take(stream, Math.min(CHUNK, count - fed)));
}

function take(stream: Iterator<SibylEvent>, count: number): SibylEvent[] {
  const events: SibylEvent[] = [];
  for (let index = 0; index < count; index++) {
    const next = stream.next();
    if (next.done) break;
    events.push(next.value);
  }
  return events;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
