import type { StateWriter } from "./state-writer.js";

/**
 * Maps strings (item ids, visitor ids, category paths) to dense integers once, so every other structure is keyed
 * by small numbers in typed arrays. A deleted name's number is reused (last freed first), which keeps the tables
 * dense after erasures and stays deterministic.
 */
export class Interner {
  private readonly ids = new Map<string, number>();
  private readonly names: (string | undefined)[] = [];
  private readonly freed: number[] = [];

  /** The number of `name`, assigning the next one when it is new. */
  intern(name: string): number {
    const known = this.ids.get(name);
    if (known !== undefined) return known;
    const id = this.freed.length > 0 ? this.freed.pop()! : this.names.length;
    this.ids.set(name, id);
    this.names[id] = name;
    return id;
  }

  /** The number of `name`, or -1. */
  lookup(name: string): number {
    return this.ids.get(name) ?? -1;
  }

  name(id: number): string | undefined {
    return this.names[id];
  }

  delete(name: string): number {
    const id = this.ids.get(name);
    if (id === undefined) return -1;
    this.ids.delete(name);
    this.names[id] = undefined;
    this.freed.push(id);
    return id;
  }

  /** Live names. */
  get size(): number {
    return this.ids.size;
  }

  /** One past the largest number ever assigned: the length per-id arrays must have. */
  get capacity(): number {
    return this.names.length;
  }

  writeState(out: StateWriter): void {
    out.u32(this.names.length);
    for (const name of this.names) out.string(name ?? "\u0000");
    out.u32(this.freed.length);
    for (const id of this.freed) out.u32(id);
  }
}
