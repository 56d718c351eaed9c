import type { StateReader } from "./state-reader.js";
import type { StateWriter } from "./state-writer.js";

/**
 * The `capacity` best items by a score that usually only grows (popularity), kept sorted incrementally: an
 * update costs a comparison with the last entry unless the item is (or enters) the list. Ties go to the smaller
 * item id, so the order is deterministic.
 */
export class TopK {
  readonly items: number[] = [];
  private readonly position = new Map<number, number>();

  constructor(readonly capacity: number) {}

  /** Call after `item`'s score went up. */
  raise(item: number, scores: Float64Array): void {
    let at = this.position.get(item);
    // Every interaction raises a few lists, and a listed item mostly keeps its place: the position map is then
    // written only for the entries that actually move.
    let moved = at === undefined;
    if (at === undefined) {
      if (this.items.length < this.capacity) {
        at = this.items.length;
        this.items.push(item);
      } else {
        const last = this.items[this.items.length - 1]!;
        if (!ranksBefore(item, last, scores)) return;
        this.position.delete(last);
        at = this.items.length - 1;
        this.items[at] = item;
      }
    }
    while (at > 0 && ranksBefore(item, this.items[at - 1]!, scores)) {
      const previous = this.items[at - 1]!;
      this.items[at] = previous;
      this.position.set(previous, at);
      at--;
      moved = true;
    }
    if (!moved) return;
    this.items[at] = item;
    this.position.set(item, at);
  }

  /** Call after `item`'s score went down (a refund). Items outside the list are not reconsidered. */
  lower(item: number, scores: Float64Array): void {
    let at = this.position.get(item);
    if (at === undefined) return;
    while (at < this.items.length - 1 && ranksBefore(this.items[at + 1]!, item, scores)) {
      const next = this.items[at + 1]!;
      this.items[at] = next;
      this.position.set(next, at);
      at++;
    }
    this.items[at] = item;
    this.position.set(item, at);
  }

  remove(item: number): void {
    const at = this.position.get(item);
    if (at === undefined) return;
    this.items.splice(at, 1);
    this.position.delete(item);
    for (let index = at; index < this.items.length; index++) this.position.set(this.items[index]!, index);
  }

  writeState(out: StateWriter): void {
    out.u32(this.items.length);
    for (const item of this.items) out.u32(item);
  }

  readState(input: StateReader): void {
    this.items.length = 0;
    this.position.clear();
    const count = input.u32();
    for (let at = 0; at < count; at++) {
      const item = input.u32();
      this.items.push(item);
      this.position.set(item, at);
    }
  }
}

function ranksBefore(a: number, b: number, scores: Float64Array): boolean {
  const sa = scores[a] ?? 0;
  const sb = scores[b] ?? 0;
  return sa > sb || (sa === sb && a < b);
}
