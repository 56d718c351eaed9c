import type { Attributes, ItemPatch, ItemUpsert } from "@sibyl/events";
import { type ItemFields, normaliseCategoryPath } from "../filters/item-fields.js";
import { grown } from "./growable.js";
import { Interner } from "./interner.js";
import type { StateReader } from "./state-reader.js";
import type { StateWriter } from "./state-writer.js";

/** What the engine keeps of an item's catalog entry. `description` is not kept in memory: it is in the log. */
export interface ItemRecord {
  itemType: string;
  title: string;
  /** Normalised category paths, most specific first. */
  categories: string[];
  /** Category ids of every path and each of its ancestors, deduplicated. */
  categoryIds: number[];
  tags: string[];
  brand: string | undefined;
  price: number | undefined;
  originalPrice: number | undefined;
  currency: string | undefined;
  inStock: boolean;
  availableAt: number | undefined;
  publishedAt: number | undefined;
  imageUrls: string[];
  attributes: Map<string, string | number | boolean>;
}

const REMOVED = 1;
const OUT_OF_STOCK = 2;

/**
 * Every item the engine has heard of, by dense id: catalog records for items that were upserted, and flags for
 * all (items seen only in behaviour events are recommendable until the catalog says otherwise).
 */
export class Catalog implements ItemFields {
  readonly ids = new Interner();
  readonly categoryPaths = new Interner();
  private readonly records: (ItemRecord | undefined)[] = [];
  private flags = new Uint8Array(0);
  /** Items per category id (including ancestors), in order of first upsert. */
  readonly categoryMembers: number[][] = [];
  /** Items per brand and per tag, in order of first upsert: the content strategy's candidates. */
  readonly brandMembers = new Map<string, number[]>();
  readonly tagMembers = new Map<string, number[]>();
  catalogued = 0;

  /** The id of an item, creating it when first seen. */
  intern(itemId: string): number {
    const item = this.ids.intern(itemId);
    this.flags = grown(this.flags, item + 1);
    return item;
  }

  get capacity(): number {
    return this.ids.capacity;
  }

  record(item: number): ItemRecord | undefined {
    return this.records[item];
  }

  isRemoved(item: number): boolean {
    return (this.flags[item]! & REMOVED) !== 0;
  }

  /** Creates or replaces the item whole. Returns the previous record, for indexes to update. */
  upsert(event: ItemUpsert): { item: number; previous: ItemRecord | undefined; record: ItemRecord } {
    const item = this.intern(event.item_id);
    const previous = this.records[item];
    const categories = (event.categories ?? []).map(normaliseCategoryPath).filter((path) => path !== "");
    const record: ItemRecord = {
      itemType: event.item_type ?? "product",
      title: event.title,
      categories,
      categoryIds: [],
      tags: event.tags ?? [],
      brand: event.brand,
      price: event.price?.display,
      originalPrice: event.price?.original,
      currency: event.price?.currency,
      inStock: event.in_stock ?? true,
      availableAt: event.available_at,
      publishedAt: event.published_at,
      imageUrls: event.image_urls ?? [],
      attributes: definedEntries(event.attributes),
    };
    this.store(item, previous, record);
    this.flags[item] = record.inStock ? 0 : OUT_OF_STOCK;
    return { item, previous, record };
  }

  /** Changes some fields; an item that was never upserted gets a record titled by its id. */
  patch(event: ItemPatch): { item: number; previous: ItemRecord | undefined; record: ItemRecord } {
    const item = this.intern(event.item_id);
    const previous = this.records[item];
    const record: ItemRecord = previous
      ? { ...previous, attributes: new Map(previous.attributes) }
      : {
          itemType: "product",
          title: event.item_id,
          categories: [],
          categoryIds: [],
          tags: [],
          brand: undefined,
          price: undefined,
          originalPrice: undefined,
          currency: undefined,
          inStock: true,
          availableAt: undefined,
          publishedAt: undefined,
          imageUrls: [],
          attributes: new Map(),
        };
    for (const field of event.unset ?? []) {
      if (field === "categories") record.categories = [];
      else if (field === "tags") record.tags = [];
      else if (field === "brand") record.brand = undefined;
      else if (field === "price") {
        record.price = undefined;
        record.originalPrice = undefined;
        record.currency = undefined;
      } else if (field === "available_at") record.availableAt = undefined;
      else if (field === "published_at") record.publishedAt = undefined;
      else if (field === "image_urls") record.imageUrls = [];
      else if (field === "attributes") record.attributes = new Map();
    }
    if (event.item_type !== undefined) record.itemType = event.item_type;
    if (event.title !== undefined) record.title = event.title;
    if (event.categories !== undefined) {
      record.categories = event.categories.map(normaliseCategoryPath).filter((path) => path !== "");
    }
    if (event.tags !== undefined) record.tags = event.tags;
    if (event.brand !== undefined) record.brand = event.brand;
    if (event.price !== undefined) {
      record.price = event.price.display;
      record.originalPrice = event.price.original;
      record.currency = event.price.currency;
    }
    if (event.in_stock !== undefined) record.inStock = event.in_stock;
    if (event.available_at !== undefined) record.availableAt = event.available_at;
    if (event.published_at !== undefined) record.publishedAt = event.published_at;
    if (event.image_urls !== undefined) record.imageUrls = event.image_urls;
    for (const [name, value] of definedEntries(event.attributes)) record.attributes.set(name, value);
    this.store(item, previous, record);
    this.setStock(item, record.inStock, record.availableAt);
    return { item, previous, record };
  }

  remove(itemId: string): number {
    const item = this.intern(itemId);
    this.flags[item]! |= REMOVED;
    return item;
  }

  setStock(item: number, inStock: boolean, availableAt: number | undefined): void {
    const record = this.records[item];
    if (record) {
      record.inStock = inStock;
      record.availableAt = availableAt;
    }
    this.flags[item] = (this.flags[item]! & REMOVED) | (inStock ? 0 : OUT_OF_STOCK);
  }

  private store(item: number, previous: ItemRecord | undefined, record: ItemRecord): void {
    if (!previous) this.catalogued++;
    // An upsert brings a removed item back.
    this.flags[item]! &= ~REMOVED;
    // Unchanged paths have unchanged ids (category paths are never forgotten), so a resent item skips re-parsing.
    record.categoryIds =
      previous !== undefined && sameStrings(previous.categories, record.categories)
        ? previous.categoryIds
        : this.categoryIdsOf(record.categories);
    updateMembership(this.categoryMembers, item, previous?.categoryIds ?? [], record.categoryIds);
    updateMembership(
      this.brandMembers,
      item,
      previous?.brand ? [previous.brand] : [],
      record.brand ? [record.brand] : [],
    );
    updateMembership(this.tagMembers, item, previous?.tags ?? [], record.tags);
    this.records[item] = record;
  }

  private categoryIdsOf(paths: readonly string[]): number[] {
    const ids: number[] = [];
    for (const path of paths) {
      const levels = path.split(" > ");
      for (let depth = levels.length; depth >= 1; depth--) {
        const id = this.categoryPaths.intern(levels.slice(0, depth).join(" > "));
        if (!ids.includes(id)) ids.push(id);
      }
    }
    return ids;
  }

  // ItemFields: what filters read.
  itemId(item: number): string {
    return this.ids.name(item) ?? "";
  }
  itemType(item: number): string {
    return this.records[item]?.itemType ?? "product";
  }
  title(item: number): string | undefined {
    return this.records[item]?.title;
  }
  brand(item: number): string | undefined {
    return this.records[item]?.brand;
  }
  categories(item: number): readonly string[] {
    return this.records[item]?.categories ?? [];
  }
  tags(item: number): readonly string[] {
    return this.records[item]?.tags ?? [];
  }
  price(item: number): number | undefined {
    return this.records[item]?.price;
  }
  originalPrice(item: number): number | undefined {
    return this.records[item]?.originalPrice;
  }
  currency(item: number): string | undefined {
    return this.records[item]?.currency;
  }
  inStock(item: number): boolean {
    return (this.flags[item]! & OUT_OF_STOCK) === 0;
  }
  publishedAt(item: number): number | undefined {
    return this.records[item]?.publishedAt;
  }
  attribute(item: number, name: string): string | number | boolean | undefined {
    return this.records[item]?.attributes.get(name);
  }

  writeState(out: StateWriter): void {
    out.section("catalog.ids");
    this.ids.writeState(out);
    out.section("catalog.categories");
    this.categoryPaths.writeState(out);
    out.section("catalog.flags");
    out.u32(this.catalogued);
    out.array(this.flags.subarray(0, this.ids.capacity));
    out.section("catalog.records");
    for (let item = 0; item < this.ids.capacity; item++) {
      const record = this.records[item];
      out.string(
        record === undefined ? "" : JSON.stringify({ ...record, attributes: [...record.attributes] }),
      );
    }
    out.section("catalog.members");
    out.u32(this.categoryMembers.length);
    for (const members of this.categoryMembers) writeItems(out, members ?? []);
    for (const index of [this.brandMembers, this.tagMembers]) {
      out.u32(index.size);
      for (const [key, members] of index) {
        out.string(key);
        writeItems(out, members);
      }
    }
  }
  readState(input: StateReader): void {
    input.section("catalog.ids");
    this.ids.readState(input);
    input.section("catalog.categories");
    this.categoryPaths.readState(input);
    input.section("catalog.flags");
    this.catalogued = input.u32();
    this.flags = input.array(Uint8Array);
    input.section("catalog.records");
    this.records.length = 0;
    for (let item = 0; item < this.ids.capacity; item++) {
      const json = input.string();
      if (json === "") {
        this.records.push(undefined);
        continue;
      }
      const { attributes, ...fields } = JSON.parse(json) as Omit<ItemRecord, "attributes"> & {
        attributes: [string, string | number | boolean][];
      };
      this.records.push({ ...fields, attributes: new Map(attributes) });
    }
    input.section("catalog.members");
    this.categoryMembers.length = 0;
    const categories = input.u32();
    for (let category = 0; category < categories; category++) this.categoryMembers.push(readItems(input));
    for (const index of [this.brandMembers, this.tagMembers]) {
      index.clear();
      const keys = input.u32();
      for (let entry = 0; entry < keys; entry++) {
        const key = input.string();
        index.set(key, readItems(input));
      }
    }
  }
}

interface Members<K> {
  get(key: K): number[] | undefined;
  set(key: K, value: number[]): unknown;
}

function updateMembership<K extends string | number>(
  members: Members<K> | number[][],
  item: number,
  before: readonly K[],
  after: readonly K[],
): void {
  const map = Array.isArray(members)
    ? {
        get: (key: K) => members[key as number],
        set: (key: K, value: number[]) => (members[key as number] = value),
      }
    : members;
  for (const key of after) {
    if (before.includes(key)) continue;
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  }
  for (const key of before) {
    if (after.includes(key)) continue;
    const list = map.get(key);
    const at = list?.indexOf(item) ?? -1;
    if (at >= 0) list!.splice(at, 1);
  }
}

/** Element-wise equality of two string lists. */
export function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

function readItems(input: StateReader): number[] {
  const count = input.u32();
  const items = new Array<number>(count);
  for (let index = 0; index < count; index++) items[index] = input.u32();
  return items;
}

function writeItems(out: StateWriter, items: readonly number[]): void {
  out.u32(items.length);
  for (const item of items) out.u32(item);
}

function definedEntries(attributes: Attributes | undefined): Map<string, string | number | boolean> {
  const entries = new Map<string, string | number | boolean>();
  for (const [name, value] of Object.entries(attributes ?? {}))
    if (value !== undefined) entries.set(name, value);
  return entries;
}
