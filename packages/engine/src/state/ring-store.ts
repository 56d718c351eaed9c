/**
 * Bounded per-owner interaction histories (item, kind, time), newest last.
 *
 * Why this layout: there can be millions of owners and most have only a few entries, so an owner costs 8 bytes of
 * metadata (handle, start, length in three dense arrays indexed by owner) plus a pooled block of 2 words per
 * entry — no per-owner objects. An owner starts with a 4-entry block and moves up one power-of-two class each time
 * it fills, so light owners stay small; once the block can hold `maxEntries`, the history becomes a ring and the
 * oldest entry is overwritten. Only that last block ever wraps, so growing is a plain prefix copy.
 *
 * Entry layout: word 0 = item << 4 | kind (item < 2^28, kind < 16), word 1 = time in seconds.
 */
import { BlockPool, ceilLog2, NO_BLOCK, withLength } from "./block-pool.js";
import { SnapshotFormatError, type StateReader } from "./state-reader.js";
import type { StateWriter } from "./state-writer.js";

export const MAX_ITEM = 0x0fff_ffff;
export const MAX_KIND = 15;

const INITIAL_ENTRIES = 4;
const INITIAL_OWNERS = 1024;

/** Length of the per-owner arrays for `owners` owners: what doubling from INITIAL_OWNERS reaches. */
function ownerCapacity(owners: number): number {
  let capacity = INITIAL_OWNERS;
  while (capacity < owners) capacity *= 2;
  return capacity;
}

export class RingStore {
  /** Entries a full ring's block holds (power of two ≥ maxEntries). */
  private readonly ringCapacity: number;
  private readonly firstBlockEntries: number;
  private pool: BlockPool;
  private handles = new Uint32Array(INITIAL_OWNERS);
  /** Slot of the oldest entry; non-zero only once an owner is in its final (ring) block. */
  private starts = new Uint16Array(INITIAL_OWNERS);
  private lengths = new Uint16Array(INITIAL_OWNERS);
  /** 1 + the highest owner ever written to; bounds what writeState emits. */
  private owners = 0;
  /** Reused by merge. */
  private scratch = new Uint32Array(0);

  constructor(readonly maxEntries = 64) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1 || maxEntries > 0xffff) {
      throw new RangeError(`RingStore: maxEntries must be an integer in [1, 65535], got ${maxEntries}`);
    }
    this.ringCapacity = 1 << ceilLog2(maxEntries);
    this.firstBlockEntries = Math.min(INITIAL_ENTRIES, this.ringCapacity);
    // 2 words per entry.
    this.pool = new BlockPool(ceilLog2(this.firstBlockEntries) + 1, ceilLog2(this.ringCapacity) + 1);
  }

  /** 1 + the highest owner id ever written to. */
  get ownerCount(): number {
    return this.owners;
  }

  /** Appends an entry as the owner's newest, overwriting the oldest when the owner already has maxEntries. */
  push(owner: number, item: number, kind: number, timeSec: number): void {
    if (owner >>> 0 !== owner) throw new RangeError(`RingStore: owner must be a uint32, got ${owner}`);
    if (item >>> 0 !== item || item > MAX_ITEM)
      throw new RangeError(`RingStore: item must be a uint28, got ${item}`);
    if (kind >>> 0 !== kind || kind > MAX_KIND)
      throw new RangeError(`RingStore: kind must be in [0, 15], got ${kind}`);
    if (timeSec >>> 0 !== timeSec)
      throw new RangeError(`RingStore: timeSec must be a uint32, got ${timeSec}`);
    if (owner >= this.owners) this.addOwners(owner);
    const pool = this.pool;
    let handle = this.handles[owner]!;
    const length = this.lengths[owner]!;
    if (handle === NO_BLOCK) {
      handle = pool.alloc(this.firstBlockEntries * 2);
      this.handles[owner] = handle;
      this.starts[owner] = 0;
    } else {
      const entries = pool.capacity(handle) >>> 1;
      if (length === entries && length < this.maxEntries) {
        // Not yet a ring, so the entries sit at slots 0..length-1 and a prefix copy keeps their order.
        handle = pool.grow(handle, entries * 4);
        this.handles[owner] = handle;
      }
    }
    const mask = (pool.capacity(handle) >>> 1) - 1;
    const start = this.starts[owner]!;
    const slot = (start + length) & mask;
    if (length < this.maxEntries) this.lengths[owner] = length + 1;
    else this.starts[owner] = (start + 1) & mask;
    const words = pool.u32(handle);
    const at = pool.offset(handle) + slot * 2;
    words[at] = (item << 4) | kind;
    words[at + 1] = timeSec;
  }

  length(owner: number): number {
    return this.lengths[owner] ?? 0;
  }

  /**
   * Visits the owner's entries newest first; stops early when `visit` returns `false`. `visit` must not modify
   * this store.
   */
  forEachNewest(owner: number, visit: (item: number, kind: number, timeSec: number) => unknown): void {
    const length = this.lengths[owner] ?? 0;
    if (length === 0) return;
    const handle = this.handles[owner]!;
    const words = this.pool.u32(handle);
    const base = this.pool.offset(handle);
    const mask = (this.pool.capacity(handle) >>> 1) - 1;
    const start = this.starts[owner]!;
    for (let i = length - 1; i >= 0; i--) {
      const at = base + ((start + i) & mask) * 2;
      const packed = words[at]!;
      if (visit(packed >>> 4, packed & 15, words[at + 1]!) === false) return;
    }
  }

  /**
   * Copies up to `limit` of the owner's newest entries (newest first) into the caller's scratch arrays and
   * returns how many it copied: the allocation-free form of `forEachNewest` for the per-event hot path.
   */
  copyNewest(owner: number, limit: number, items: Int32Array, kinds: Uint8Array, times: Uint32Array): number {
    const length = this.lengths[owner] ?? 0;
    if (length === 0) return 0;
    const handle = this.handles[owner]!;
    const words = this.pool.u32(handle);
    const base = this.pool.offset(handle);
    const mask = (this.pool.capacity(handle) >>> 1) - 1;
    const start = this.starts[owner]!;
    const count = Math.min(length, limit);
    for (let n = 0; n < count; n++) {
      const at = base + ((start + length - 1 - n) & mask) * 2;
      const packed = words[at]!;
      items[n] = packed >>> 4;
      kinds[n] = packed & 15;
      times[n] = words[at + 1]!;
    }
    return count;
  }

  /** Forgets the owner's history and frees its block. */
  clear(owner: number): void {
    if (owner >= this.owners) return;
    this.pool.free(this.handles[owner]!);
    this.handles[owner] = NO_BLOCK;
    this.starts[owner] = 0;
    this.lengths[owner] = 0;
  }

  /**
   * Moves `from`'s entries into `to` (e.g. an anonymous visitor who logged in): the two histories are merged by
   * time as a stable merge in which, on equal times, `to`'s entries come first (older); the newest `maxEntries`
   * are kept and `from` is cleared.
   */
  merge(from: number, to: number): void {
    if (to >>> 0 !== to) throw new RangeError(`RingStore: owner must be a uint32, got ${to}`);
    if (from === to) return;
    const fromLength = this.lengths[from] ?? 0;
    if (fromLength === 0) return;
    if (to >= this.owners) this.addOwners(to);
    const toLength = this.lengths[to]!;
    if (toLength === 0) {
      // Nothing to interleave with: hand the block over as is.
      this.pool.free(this.handles[to]!);
      this.handles[to] = this.handles[from]!;
      this.starts[to] = this.starts[from]!;
      this.lengths[to] = fromLength;
      this.handles[from] = NO_BLOCK;
      this.starts[from] = 0;
      this.lengths[from] = 0;
      return;
    }
    // Forward merge of both full histories into scratch, then keep the newest `kept`.
    const total = fromLength + toLength;
    if (this.scratch.length < total * 2) this.scratch = new Uint32Array(1 << ceilLog2(total * 2));
    const scratch = this.scratch;
    const pool = this.pool;
    const a = this.handles[to]!;
    const aWords = pool.u32(a);
    const aBase = pool.offset(a);
    const aMask = (pool.capacity(a) >>> 1) - 1;
    const aStart = this.starts[to]!;
    const b = this.handles[from]!;
    const bWords = pool.u32(b);
    const bBase = pool.offset(b);
    const bMask = (pool.capacity(b) >>> 1) - 1;
    const bStart = this.starts[from]!;
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < toLength || j < fromLength) {
      let takeTo: boolean;
      if (j >= fromLength) takeTo = true;
      else if (i >= toLength) takeTo = false;
      else {
        const aTime = aWords[aBase + ((aStart + i) & aMask) * 2 + 1]!;
        const bTime = bWords[bBase + ((bStart + j) & bMask) * 2 + 1]!;
        takeTo = aTime <= bTime;
      }
      const at = takeTo ? aBase + ((aStart + i++) & aMask) * 2 : bBase + ((bStart + j++) & bMask) * 2;
      const words = takeTo ? aWords : bWords;
      scratch[n++] = words[at]!;
      scratch[n++] = words[at + 1]!;
    }
    pool.free(a);
    pool.free(b);
    this.handles[from] = NO_BLOCK;
    this.starts[from] = 0;
    this.lengths[from] = 0;
    const kept = Math.min(total, this.maxEntries);
    const handle = pool.alloc(Math.max(kept, this.firstBlockEntries) * 2);
    const words = pool.u32(handle);
    const base = pool.offset(handle);
    const skip = (total - kept) * 2;
    for (let k = 0; k < kept * 2; k++) words[base + k] = scratch[skip + k]!;
    this.handles[to] = handle;
    this.starts[to] = 0;
    this.lengths[to] = kept;
  }

  writeState(out: StateWriter): void {
    out.section("ring-store");
    out.u32(this.maxEntries);
    out.u32(this.owners);
    out.array(this.handles.subarray(0, this.owners));
    out.array(this.starts.subarray(0, this.owners));
    out.array(this.lengths.subarray(0, this.owners));
    this.pool.writeState(out);
  }

  /**
   * Replaces this store's whole state with what {@link writeState} wrote for a store with the same `maxEntries`,
   * after which it behaves exactly like the writer did. Throws SnapshotFormatError, leaving this store unchanged,
   * when `maxEntries` differs or the data is inconsistent (a handle outside the pool or shared by two owners, a
   * length or start that does not fit the owner's block).
   */
  readState(input: StateReader): void {
    input.section("ring-store");
    const maxEntries = input.u32();
    if (maxEntries !== this.maxEntries) {
      throw new SnapshotFormatError(
        `RingStore: the snapshot keeps ${maxEntries} entries per owner, this store ${this.maxEntries}`,
      );
    }
    const owners = input.u32();
    const handles = input.array(Uint32Array);
    const starts = input.array(Uint16Array);
    const lengths = input.array(Uint16Array);
    if (handles.length !== owners || starts.length !== owners || lengths.length !== owners) {
      throw new SnapshotFormatError(
        `RingStore: ${owners} owners, but ${handles.length} handles, ${starts.length} starts and ${lengths.length} lengths`,
      );
    }
    const pool = new BlockPool(this.pool.minLog2, this.pool.maxLog2);
    pool.readState(input);
    pool.checkHandles(handles, "RingStore: owner");
    for (let owner = 0; owner < owners; owner++) {
      const handle = handles[owner]!;
      const length = lengths[owner]!;
      const start = starts[owner]!;
      const entries = handle === NO_BLOCK ? 0 : pool.capacity(handle) >>> 1;
      // Only the final (ring) block wraps, so only there may the oldest entry sit past slot 0.
      if (
        length > entries ||
        length > maxEntries ||
        (start !== 0 && (start >= entries || entries !== this.ringCapacity))
      ) {
        throw new SnapshotFormatError(
          `RingStore: owner ${owner} has ${length} entries from slot ${start} in a block of ${entries} entries`,
        );
      }
    }
    const capacity = ownerCapacity(owners);
    this.handles = withLength(handles, capacity);
    this.starts = withLength(starts, capacity);
    this.lengths = withLength(lengths, capacity);
    this.owners = owners;
    this.pool = pool;
    this.scratch = new Uint32Array(0);
  }

  /** Makes `owner` addressable, doubling the metadata arrays as needed (zero-filled = empty history). */
  private addOwners(owner: number): void {
    this.owners = owner + 1;
    if (owner < this.handles.length) return;
    const capacity = ownerCapacity(owner + 1);
    const handles = new Uint32Array(capacity);
    handles.set(this.handles);
    this.handles = handles;
    const starts = new Uint16Array(capacity);
    starts.set(this.starts);
    this.starts = starts;
    const lengths = new Uint16Array(capacity);
    lengths.set(this.lengths);
    this.lengths = lengths;
  }
}
