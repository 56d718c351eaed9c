import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SibylEvent } from "@sibyl/events";
import { createEngine, type Engine } from "../engine.js";
import { EventLog } from "../log/index.js";
import type { EngineOptions } from "../options.js";
import { T0 } from "../test-events.js";

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), "sibyl-data-"));
}

/**
 * A realistic little stream: catalog, views by several visitors, carts, purchases, a few requests. Event `index`
 * depends only on (index, seed), so any slice of an endless stream can be made without making what precedes it.
 */
export function sampleEvent(index: number, seed = 1): SibylEvent {
  let state = (Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(seed, 0x85ebca6b)) >>> 0;
  const next = () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    state ^= state >>> 13;
    return state / 2 ** 32;
  };
  const time = T0 + index * 1000;
  const visitor = { visitor_id: `v${Math.floor(next() * 20)}` };
  const item = `sku-${Math.floor(next() * 50)}`;
  const roll = next();
  if (roll < 0.05)
    return {
      event_type: "ItemUpsert",
      item_id: item,
      title: `Item ${item}`,
      categories: ["Shop > A"],
      event_time: time,
    };
  if (roll < 0.8)
    return { event_type: "DetailItemView", user_info: visitor, item: { item_id: item }, event_time: time };
  if (roll < 0.9)
    return { event_type: "AddToCart", user_info: visitor, items: [{ item_id: item }], event_time: time };
  if (roll < 0.95) {
    return {
      event_type: "PurchaseComplete",
      user_info: visitor,
      items: [{ item_id: item }],
      transaction: { id: `o-${index}`, revenue: 12, currency: "EUR" },
      event_time: time,
    };
  }
  return {
    event_type: "RecoRequest",
    user_info: visitor,
    placement: "trending",
    rec_id: `r-${index}`,
    event_time: time,
  };
}

export function sampleEvents(count: number, seed = 1): SibylEvent[] {
  return Array.from({ length: count }, (_, index) => sampleEvent(index, seed));
}

/** The events a data directory's log holds, in order. */
export async function loggedEvents(dataDir: string): Promise<SibylEvent[]> {
  const { log } = await EventLog.open({ dir: join(dataDir, "log"), readOnly: true });
  const events = [...log.read()].map((record) => JSON.parse(record.payload.toString("utf8")) as SibylEvent);
  await log.close();
  return events;
}

/** An in-memory engine fed the same events: what every recovery must equal. */
export function cleanReplay(events: readonly SibylEvent[], options: EngineOptions = {}): Engine {
  const engine = createEngine(options);
  engine.applyBatch(events);
  return engine;
}

/** Every file below `dir` whose bytes contain `text`. */
export function filesContaining(dir: string, text: string): string[] {
  const needle = Buffer.from(text, "utf8");
  const found: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (statSync(path).isFile() && readFileSync(path).includes(needle)) found.push(name);
  }
  return found;
}
