import type { UserInfo } from "@sibyl/events";
import { Attribution } from "../attribution/attribution.js";
import type { ResolvedOptions } from "../options.js";
import { Placements } from "../placements/placements.js";
import { TextIndex } from "../search/text-index.js";
import { Catalog, type ItemRecord, sameStrings } from "./catalog.js";
import { Cooccurrence } from "./cooccurrence.js";
import { Dedupe } from "./dedupe.js";
import { EvictionQueue } from "./eviction-queue.js";
import { OfflineLists } from "./offline-lists.js";
import { Popularity } from "./popularity.js";
import type { StateReader } from "./state-reader.js";
import type { StateWriter } from "./state-writer.js";
import { Visitors } from "./visitors.js";

const NO_CATEGORIES: readonly number[] = [];

export interface OrderRecord {
  profile: number;
  timeMs: number;
  items: { item: number; quantity: number }[];
}

/** Every structure the engine keeps, and the operations reducers share. */
export class EngineState {
  readonly catalog = new Catalog();
  readonly visitors: Visitors;
  readonly popularity: Popularity;
  readonly cooccurrence: Cooccurrence;
  readonly text = new TextIndex();
  readonly offline = new OfflineLists();
  readonly placements: Placements;
  readonly attribution: Attribution;
  readonly dedupe: Dedupe;
  /** Recent orders by transaction id, so a Refund can undo them. */
  private readonly orderQueue = new EvictionQueue<string, OrderRecord>();
  readonly orders = this.orderQueue.map;
  readonly eventCounts = new Map<string, number>();
  /** The latest event_time applied: the engine's notion of "now". */
  now = 0;
  /** Recommendation requests answered so far; part of each generated rec_id. */
  requests = 0;
  /** Events ignored because their event_id was applied within the dedupe window. */
  duplicates = 0;

  constructor(readonly options: ResolvedOptions) {
    this.visitors = new Visitors(
      options.historyLength,
      options.sessionTimeoutMs,
      options.purchasedPerVisitor,
    );
    this.popularity = new Popularity(options.popularityHalfLifeMs, options.popularTopK, options.categoryTopK);
    this.cooccurrence = new Cooccurrence(
      options.neighbours,
      options.cooccurrenceWindowMs,
      options.cooccurrenceLookback,
      options.normalisation,
      options.cooccurrencePairs,
    );
    this.placements = new Placements(this.catalog, (from, to) => this.cooccurrence.track(from, to));
    this.attribution = new Attribution(options.attributionWindowMs, options.attributionMaxRecs);
    this.dedupe = new Dedupe(options.dedupeWindowMs, options.dedupeMaxIds);
  }

  /**
   * The profile a user event is stored against, with its session brought up to date; -1 for
   * `privacy: non_personalized`, which is counted in aggregates only.
   */
  profileFor(user: UserInfo, timeMs: number): number {
    if (user.privacy === "non_personalized") return -1;
    const profile = this.visitors.resolve(user, true);
    this.visitors.touch(profile, timeMs, user.session_id);
    return profile;
  }

  /** Folds one visitor–item interaction into popularity, co-occurrence and the visitor's history. */
  interact(profile: number, item: number, kind: number, timeMs: number): void {
    this.popularity.add(item, kind, timeMs, 1, this.catalog.record(item)?.categoryIds ?? NO_CATEGORIES);
    if (profile < 0) return;
    this.cooccurrence.observe(this.visitors.history, profile, item, kind, timeMs);
    this.visitors.history.push(profile, item, kind, Math.floor(timeMs / 1000));
  }

  /** Keeps the search index and category rankings in step with a catalog change. */
  reindex(item: number, previous: ItemRecord | undefined, record: ItemRecord): void {
    // Catalog feeds resend whole items whose text rarely changes (a price, a stock flag): re-tokenising the same
    // text would leave the index's contents exactly as they are, at the cost of tokenising and merging postings.
    // An item taken out by ItemRemove is not in the index even though its record is kept, so it is set again.
    if (previous === undefined || !sameText(previous, record) || !this.text.has(item)) {
      this.text.set(item, {
        title: record.title,
        tags: record.tags,
        brand: record.brand,
        categories: record.categories,
      });
    }
    const before = previous?.categoryIds ?? [];
    const removed = before.filter((category) => !record.categoryIds.includes(category));
    const added = record.categoryIds.filter((category) => !before.includes(category));
    if (removed.length + added.length > 0) this.popularity.recategorise(item, removed, added);
  }

  rememberOrder(transactionId: string, order: OrderRecord): void {
    this.orderQueue.add(transactionId, order);
    if (this.orders.size > this.options.refundableOrders) this.orderQueue.dropOldest();
  }

  writeState(out: StateWriter): void {
    out.section("engine");
    out.f64(this.now);
    out.u32(this.requests);
    out.u32(this.duplicates);
    out.u32(this.eventCounts.size);
    for (const [type, count] of this.eventCounts) {
      out.string(type);
      out.u32(count);
    }
    this.catalog.writeState(out);
    this.visitors.writeState(out);
    out.section("popularity");
    this.popularity.writeState(out, this.catalog.capacity);
    out.section("cooccurrence");
    this.cooccurrence.writeState(out);
    out.section("text");
    this.text.writeState(out);
    out.section("offline");
    this.offline.writeState(out);
    out.section("placements");
    this.placements.writeState(out);
    out.section("attribution");
    this.attribution.writeState(out);
    out.section("dedupe");
    this.dedupe.writeState(out);
    out.section("orders");
    out.u32(this.orders.size);
    for (const [id, order] of this.orders) {
      out.string(id);
      out.u32(order.profile + 1);
      out.f64(order.timeMs);
      out.u32(order.items.length);
      for (const { item, quantity } of order.items) {
        out.u32(item);
        out.u32(quantity);
      }
    }
  }

  /** Replaces the whole state with one written by `writeState` (a snapshot). */
  readState(input: StateReader): void {
    input.section("engine");
    this.now = input.f64();
    this.requests = input.u32();
    this.duplicates = input.u32();
    this.eventCounts.clear();
    const types = input.u32();
    for (let index = 0; index < types; index++) this.eventCounts.set(input.string(), input.u32());
    this.catalog.readState(input);
    this.visitors.readState(input);
    input.section("popularity");
    this.popularity.readState(input);
    input.section("cooccurrence");
    this.cooccurrence.readState(input);
    input.section("text");
    this.text.readState(input);
    input.section("offline");
    this.offline.readState(input);
    input.section("placements");
    this.placements.readState(input);
    input.section("attribution");
    this.attribution.readState(input);
    input.section("dedupe");
    this.dedupe.readState(input);
    input.section("orders");
    const orders = input.u32();
    const entries: [string, OrderRecord][] = [];
    for (let index = 0; index < orders; index++) {
      const id = input.string();
      const profile = input.u32() - 1;
      const timeMs = input.f64();
      const count = input.u32();
      const items: OrderRecord["items"] = [];
      for (let line = 0; line < count; line++) items.push({ item: input.u32(), quantity: input.u32() });
      entries.push([id, { profile, timeMs, items }]);
    }
    this.orderQueue.reset(entries);
  }
}

/** Whether two records give the search index the same text (the fields TextIndex.set reads). */
function sameText(a: ItemRecord, b: ItemRecord): boolean {
  return (
    a.title === b.title &&
    a.brand === b.brand &&
    sameStrings(a.tags, b.tags) &&
    sameStrings(a.categories, b.categories)
  );
}
