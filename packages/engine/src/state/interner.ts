import { grown } from "./growable.js";
import { SnapshotFormatError, type StateReader } from "./state-reader.js";
import type { StateWriter } from "./state-writer.js";

/**
 * Maps strings (item ids, visitor ids, category paths) to dense integers once, so every other structure is keyed
 * by small numbers in typed arrays. Names live in namespaces that share one numbering (visitor ids and user ids
 * are both profiles), so a lookup never has to build a prefixed key string. A deleted name's number is reused
 * (last freed first), which keeps the tables dense after erasures and stays deterministic.
 */
export class Interner {
  private readonly ids: Map<string, number>[];
  private readonly names: (string | undefined)[] = [];
  private namespaces = new Uint8Array(0);
  private readonly freed: number[] = [];

  constructor(namespaceCount = 1) {
    this.ids = Array.from({ length: namespaceCount }, () => new Map<string, number>());
  }

  /** The number of `name`, assigning the next one when it is new. */
  intern(name: string, namespace = 0): number {
    const ids = this.ids[namespace]!;
    const known = ids.get(name);
    if (known !== undefined) return known;
    const id = this.freed.length > 0 ? this.freed.pop()! : this.names.length;
    ids.set(name, id);
    this.names[id] = name;
    this.namespaces = grown(this.namespaces, id + 1);
    this.namespaces[id] = namespace;
    return id;
  }

  /** The number of `name`, or -1. */
  lookup(name: string, namespace = 0): number {
    return this.ids[namespace]!.get(name) ?? -1;
  }

  name(id: number): string | undefined {
    return this.names[id];
  }

  namespaceOf(id: number): number {
    return this.namespaces[id]!;
  }

  /** Forgets a number and its name; the number will be reused. */
  delete(id: number): void {
    const name = this.names[id];
    if (name === undefined) return;
    this.ids[this.namespaces[id]!]!.delete(name);
    this.names[id] = undefined;
    this.freed.push(id);
  }

  /** Live names. */
  get size(): number {
    let size = 0;
    for (const ids of this.ids) size += ids.size;
    return size;
  }

  /** One past the largest number ever assigned: the length per-id arrays must have. */
  get capacity(): number {
    return this.names.length;
  }

  writeState(out: StateWriter): void {
    out.u32(this.names.length);
    for (let id = 0; id < this.names.length; id++) {
      const name = this.names[id];
      out.u32(name === undefined ? 0xff : this.namespaces[id]!);
      out.string(name ?? "");
    }
    out.u32(this.freed.length);
    for (const id of this.freed) out.u32(id);
  }

  readState(input: StateReader): void {
    for (const ids of this.ids) ids.clear();
    const count = input.u32();
    this.names.length = 0;
    this.namespaces = new Uint8Array(count);
    for (let id = 0; id < count; id++) {
      const namespace = input.u32();
      const name = input.string();
      if (namespace === 0xff) {
        this.names.push(undefined);
        continue;
      }
      const ids = this.ids[namespace];
      if (!ids)
        throw new SnapshotFormatError(
          `name ${id} is in namespace ${namespace}; this table has ${this.ids.length}`,
        );
      ids.set(name, id);
      this.names.push(name);
      this.namespaces[id] = namespace;
    }
    this.freed.length = 0;
    const freed = input.u32();
    for (let index = 0; index < freed; index++) this.freed.push(input.u32());
  }
}
