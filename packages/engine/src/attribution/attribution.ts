import { EvictionQueue } from "../state/eviction-queue.js";
import type { StateReader } from "../state/state-reader.js";
import type { StateWriter } from "../state/state-writer.js";

/** What recommendations of one placement (or one of its strategies) led to. */
export interface AttributionCounts {
  requests: number;
  impressions: number;
  clicks: number;
  carts: number;
  purchases: number;
  revenue: number;
}

export interface PlacementAttribution extends AttributionCounts {
  placement: string;
  byStrategy: Record<string, AttributionCounts>;
}

interface RecRecord {
  placement: string;
  items: number[];
  strategies: string[];
  timeMs: number;
}

const emptyCounts = (): AttributionCounts => ({
  requests: 0,
  impressions: 0,
  clicks: 0,
  carts: 0,
  purchases: 0,
  revenue: 0,
});

/**
 * Remembers recent responses by rec_id (which placement, which strategy gave each item) and credits what
 * follows from them: impressions (RecoShow), clicks (RecoAck), carts and purchases whose context.rec_id names
 * the response. A remembered response is forgotten after the window or when too many are remembered.
 */
export class Attribution {
  private readonly queue = new EvictionQueue<string, RecRecord>();
  private readonly recs = this.queue.map;
  private readonly counts = new Map<
    string,
    { total: AttributionCounts; byStrategy: Map<string, AttributionCounts> }
  >();
  unattributed = 0;

  constructor(
    private readonly windowMs: number,
    private readonly maxRecs: number,
  ) {}

  recordResponse(
    recId: string,
    placement: string,
    items: number[],
    strategies: string[],
    timeMs: number,
  ): void {
    this.queue.add(recId, { placement, items, strategies, timeMs });
    this.expire(timeMs);
    this.bump(placement, undefined, "requests", 1);
    for (const strategy of new Set(strategies)) this.bump(placement, strategy, "requests", 1);
  }

  impressions(recId: string, items: readonly number[]): void {
    const rec = this.recs.get(recId);
    if (!rec) return void this.unattributed++;
    for (const item of items) this.credit(rec, item, "impressions", 1);
  }

  click(recId: string, item: number): void {
    const rec = this.recs.get(recId);
    if (!rec) return void this.unattributed++;
    this.credit(rec, item, "clicks", 1);
  }

  cart(recId: string, items: readonly number[]): void {
    const rec = this.recs.get(recId);
    if (!rec) return void this.unattributed++;
    for (const item of items) this.credit(rec, item, "carts", 1);
  }

  purchase(recId: string, items: readonly { item: number; revenue: number }[]): void {
    const rec = this.recs.get(recId);
    if (!rec) return void this.unattributed++;
    for (const { item, revenue } of items) {
      this.credit(rec, item, "purchases", 1);
      this.credit(rec, item, "revenue", revenue);
    }
  }

  /** The items and strategies of a remembered response. */
  response(recId: string): Readonly<RecRecord> | undefined {
    return this.recs.get(recId);
  }

  report(): PlacementAttribution[] {
    return [...this.counts]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([placement, { total, byStrategy }]) => ({
        placement,
        ...total,
        byStrategy: Object.fromEntries([...byStrategy].sort(([a], [b]) => (a < b ? -1 : 1))),
      }));
  }

  /** An item that was not in the response is credited to the placement only. */
  private credit(rec: RecRecord, item: number, field: keyof AttributionCounts, amount: number): void {
    this.bump(rec.placement, undefined, field, amount);
    const at = rec.items.indexOf(item);
    if (at >= 0) this.bump(rec.placement, rec.strategies[at], field, amount);
  }

  private bump(
    placement: string,
    strategy: string | undefined,
    field: keyof AttributionCounts,
    amount: number,
  ): void {
    let entry = this.counts.get(placement);
    if (!entry) {
      entry = { total: emptyCounts(), byStrategy: new Map() };
      this.counts.set(placement, entry);
    }
    let counts = entry.total;
    if (strategy !== undefined) {
      counts = entry.byStrategy.get(strategy) ?? emptyCounts();
      entry.byStrategy.set(strategy, counts);
    }
    counts[field] += amount;
  }

  private expire(nowMs: number): void {
    for (let oldest = this.queue.oldest(); oldest; oldest = this.queue.oldest()) {
      if (this.recs.size <= this.maxRecs && nowMs - oldest.value.timeMs <= this.windowMs) break;
      this.queue.dropOldest();
    }
  }

  writeState(out: StateWriter): void {
    out.u32(this.recs.size);
    for (const [recId, rec] of this.recs) {
      out.string(recId);
      out.string(rec.placement);
      out.f64(rec.timeMs);
      out.u32(rec.items.length);
      for (let index = 0; index < rec.items.length; index++) {
        out.u32(rec.items[index]!);
        out.string(rec.strategies[index]!);
      }
    }
    out.string(JSON.stringify(this.report()));
    out.u32(this.unattributed);
  }

  readState(input: StateReader): void {
    const recs: [string, RecRecord][] = [];
    const count = input.u32();
    for (let index = 0; index < count; index++) {
      const recId = input.string();
      const placement = input.string();
      const timeMs = input.f64();
      const length = input.u32();
      const items: number[] = [];
      const strategies: string[] = [];
      for (let entry = 0; entry < length; entry++) {
        items.push(input.u32());
        strategies.push(input.string());
      }
      recs.push([recId, { placement, items, strategies, timeMs }]);
    }
    this.queue.reset(recs);
    this.counts.clear();
    for (const { placement, byStrategy, ...total } of JSON.parse(input.string()) as PlacementAttribution[]) {
      this.counts.set(placement, { total, byStrategy: new Map(Object.entries(byStrategy)) });
    }
    this.unattributed = input.u32();
  }
}
