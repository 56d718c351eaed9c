import type { StateReader } from "./state-reader.js";
import type { StateWriter } from "./state-writer.js";

export interface OfflineList {
  items: number[];
  scores: number[];
  expiresAt: number;
}

/** Recommendation lists computed elsewhere and imported with OfflineRecommendationsUpsert. */
export class OfflineLists {
  private readonly lists = new Map<string, OfflineList>();

  static key(keyType: string, key: string, listName = "default"): string {
    return `${keyType}\u0000${key}\u0000${listName}`;
  }

  set(key: string, list: OfflineList): void {
    this.lists.delete(key);
    this.lists.set(key, list);
  }

  get(key: string, nowMs: number): OfflineList | undefined {
    const list = this.lists.get(key);
    return list && list.expiresAt > nowMs ? list : undefined;
  }

  delete(key: string): void {
    this.lists.delete(key);
  }

  /** Removes every list of a visitor or user (erasure). */
  deleteOwner(keyType: "visitor" | "user", key: string): void {
    const prefix = `${keyType}\u0000${key}\u0000`;
    for (const name of [...this.lists.keys()]) if (name.startsWith(prefix)) this.lists.delete(name);
  }

  get size(): number {
    return this.lists.size;
  }

  writeState(out: StateWriter): void {
    out.u32(this.lists.size);
    for (const [key, list] of this.lists) {
      out.string(key);
      out.f64(list.expiresAt);
      out.u32(list.items.length);
      for (let index = 0; index < list.items.length; index++) {
        out.u32(list.items[index]!);
        out.f64(list.scores[index]!);
      }
    }
  }

  readState(input: StateReader): void {
    this.lists.clear();
    const count = input.u32();
    for (let index = 0; index < count; index++) {
      const key = input.string();
      const expiresAt = input.f64();
      const length = input.u32();
      const list: OfflineList = { items: [], scores: [], expiresAt };
      for (let entry = 0; entry < length; entry++) {
        list.items.push(input.u32());
        list.scores.push(input.f64());
      }
      this.lists.set(key, list);
    }
  }
}
