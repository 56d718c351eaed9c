/**
 * Item-to-item co-occurrence counts, bounded per source item with the Space-Saving algorithm.
 *
 * Why Space-Saving: a popular item co-occurs with an unbounded number of others, but only its heaviest neighbours
 * matter for recommendations. Space-Saving keeps at most `capacity` neighbours per source and, when full, gives
 * the newcomer the evicted minimum's weight plus its own, so a neighbour's weight never underestimates its true
 * weight and true heavy hitters cannot be pushed out — with O(capacity) work and fixed memory per source.
 *
 * Why this layout: sources are dense ids that can number in the millions, so a source costs 14 bytes of metadata
 * (block handle, size, row total in dense arrays) plus a pooled block of interleaved (neighbour id, float32
 * weight) pairs that starts at 4 entries and moves up one power-of-two class when full, so the long tail of
 * rarely seen items stays small. Interleaving keeps id and weight on the same cache line and makes growth a plain
 * prefix copy. Row, column and grand totals are float64 and include evicted weight: they are the marginals of a
 * log-likelihood-ratio score, which must not drift as entries are evicted.
 */
import { BlockPool, ceilLog2, NO_BLOCK, withLength } from "./block-pool.js";
import { SnapshotFormatError, type StateReader } from "./state-reader.js";
import type { StateWriter } from "./state-writer.js";

const INITIAL_ENTRIES = 4;
const INITIAL_ROWS = 1024;

/** Length of a per-row or per-column array for `count` ids: what doubling from INITIAL_ROWS reaches. */
function idCapacity(count: number): number {
  let capacity = INITIAL_ROWS;
  while (capacity < count) capacity *= 2;
  return capacity;
}

/** Index of the first element of `values` that is not ≥ 0 (negative or NaN), -1 when none. */
function firstNotNonNegative(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (!(values[i]! >= 0)) return i;
  return -1;
}

export class NeighbourTable {
  private readonly firstBlockEntries: number;
  private pool: BlockPool;
  private handles = new Uint32Array(INITIAL_ROWS);
  private sizes = new Uint16Array(INITIAL_ROWS);
  private rowTotals = new Float64Array(INITIAL_ROWS);
  private columnTotals = new Float64Array(INITIAL_ROWS);
  /** 1 + the highest source / neighbour id ever added; bound what writeState emits. */
  private rows = 0;
  private columns = 0;
  private grandTotal = 0;

  constructor(readonly capacity = 32) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 0xffff) {
      throw new RangeError(`NeighbourTable: capacity must be an integer in [1, 65535], got ${capacity}`);
    }
    const blockEntries = 1 << ceilLog2(capacity);
    this.firstBlockEntries = Math.min(INITIAL_ENTRIES, blockEntries);
    // 2 words per entry.
    this.pool = new BlockPool(ceilLog2(this.firstBlockEntries) + 1, ceilLog2(blockEntries) + 1);
  }

  /** Sum of all weight ever added (minus refunds), over all pairs. */
  get total(): number {
    return this.grandTotal;
  }

  /** Adds `weight` to the pair, evicting the lightest neighbour of `from` if it is new and the row is full. */
  add(from: number, to: number, weight = 1): void {
    if (from >>> 0 !== from) throw new RangeError(`NeighbourTable: from must be a uint32, got ${from}`);
    if (to >>> 0 !== to) throw new RangeError(`NeighbourTable: to must be a uint32, got ${to}`);
    if (!(weight >= 0 && weight < Number.POSITIVE_INFINITY)) {
      throw new RangeError(`NeighbourTable: weight must be finite and >= 0, got ${weight}`);
    }
    if (from >= this.rows) this.addRows(from);
    if (to >= this.columns) this.addColumns(to);
    this.rowTotals[from]! += weight;
    this.columnTotals[to]! += weight;
    this.grandTotal += weight;

    const pool = this.pool;
    let handle = this.handles[from]!;
    const size = this.sizes[from]!;
    if (handle === NO_BLOCK) {
      handle = pool.alloc(this.firstBlockEntries * 2);
      this.handles[from] = handle;
    } else {
      const ids = pool.u32(handle);
      const base = pool.offset(handle);
      const end = base + size * 2;
      // This is the hottest loop of applying a view (up to ten adds per event), so it compares ids only: the
      // minimum is needed just when the pair is new and the row is full, and then a second pass finds it.
      for (let at = base; at < end; at += 2) {
        if (ids[at] === to) {
          pool.f32(handle)[at + 1]! += weight;
          return;
        }
      }
      if (size >= this.capacity) {
        const weights = pool.f32(handle);
        let minAt = base;
        let minWeight = weights[base + 1]!;
        for (let at = base + 2; at < end; at += 2) {
          const w = weights[at + 1]!;
          if (w < minWeight) {
            minWeight = w;
            minAt = at;
          }
        }
        // Space-Saving: the newcomer inherits the evicted minimum's weight (first minimum in storage order).
        ids[minAt] = to;
        weights[minAt + 1] = minWeight + weight;
        return;
      }
      const entries = pool.capacity(handle) >>> 1;
      if (size === entries) {
        handle = pool.grow(handle, entries * 4);
        this.handles[from] = handle;
      }
    }
    const at = pool.offset(handle) + size * 2;
    pool.u32(handle)[at] = to;
    pool.f32(handle)[at + 1] = weight;
    this.sizes[from] = size + 1;
  }

  /**
   * Undoes an earlier `add` (a refund): lowers the pair's weight and the totals by `weight`, never below 0. A pair
   * whose weight reaches 0 is removed (later entries keep their order), which is what `weight()` reports for an
   * absent pair anyway. Totals are lowered even if the pair was evicted meanwhile.
   */
  subtract(from: number, to: number, weight = 1): void {
    if (!(weight >= 0 && weight < Number.POSITIVE_INFINITY)) {
      throw new RangeError(`NeighbourTable: weight must be finite and >= 0, got ${weight}`);
    }
    this.grandTotal = Math.max(0, this.grandTotal - weight);
    if (to < this.columns) this.columnTotals[to] = Math.max(0, this.columnTotals[to]! - weight);
    if (!(from < this.rows)) return;
    this.rowTotals[from] = Math.max(0, this.rowTotals[from]! - weight);
    const handle = this.handles[from]!;
    if (handle === NO_BLOCK) return;
    const pool = this.pool;
    const ids = pool.u32(handle);
    const weights = pool.f32(handle);
    const base = pool.offset(handle);
    const size = this.sizes[from]!;
    const end = base + size * 2;
    for (let at = base; at < end; at += 2) {
      if (ids[at] !== to) continue;
      // Subtract in float32 terms so that undoing an add of the same weight lands exactly on 0.
      const next = weights[at + 1]! - Math.fround(weight);
      if (next > 0) {
        weights[at + 1] = next;
        return;
      }
      ids.copyWithin(at, at + 2, end);
      if (size === 1) {
        pool.free(handle);
        this.handles[from] = NO_BLOCK;
      }
      this.sizes[from] = size - 1;
      return;
    }
  }

  /** The pair's weight, 0 if absent. */
  weight(from: number, to: number): number {
    const size = this.sizes[from] ?? 0;
    if (size === 0) return 0;
    const handle = this.handles[from]!;
    const ids = this.pool.u32(handle);
    const base = this.pool.offset(handle);
    const end = base + size * 2;
    for (let at = base; at < end; at += 2) {
      if (ids[at] === to) return this.pool.f32(handle)[at + 1]!;
    }
    return 0;
  }

  /** Visits the neighbours of `from` in storage order. `visit` must not modify this table. */
  forEach(from: number, visit: (to: number, weight: number) => void): void {
    const size = this.sizes[from] ?? 0;
    if (size === 0) return;
    const handle = this.handles[from]!;
    const ids = this.pool.u32(handle);
    const weights = this.pool.f32(handle);
    const base = this.pool.offset(handle);
    const end = base + size * 2;
    for (let at = base; at < end; at += 2) visit(ids[at]!, weights[at + 1]!);
  }

  /**
   * How much any weight in a full row may overstate its pair: a newcomer inherits the evicted minimum, and the
   * row's minimum only grows, so `weight - overestimate` never exceeds a pair's true weight. 0 while the row has
   * room (nothing was ever evicted from it).
   */
  overestimate(from: number): number {
    const size = this.sizes[from] ?? 0;
    if (size < this.capacity) return 0;
    const handle = this.handles[from]!;
    const weights = this.pool.f32(handle);
    const base = this.pool.offset(handle);
    let min = Number.POSITIVE_INFINITY;
    for (let at = base; at < base + size * 2; at += 2) if (weights[at + 1]! < min) min = weights[at + 1]!;
    return min;
  }

  /** Number of neighbours currently kept for `from`. */
  size(from: number): number {
    return this.sizes[from] ?? 0;
  }

  /** Weight ever added from `from` (minus refunds), including evicted pairs. */
  rowTotal(from: number): number {
    return this.rowTotals[from] ?? 0;
  }

  /** Weight ever added towards `to` (minus refunds), including evicted pairs. */
  columnTotal(to: number): number {
    return this.columnTotals[to] ?? 0;
  }

  writeState(out: StateWriter): void {
    out.section("neighbour-table");
    out.u32(this.capacity);
    out.u32(this.rows);
    out.u32(this.columns);
    out.f64(this.grandTotal);
    out.array(this.handles.subarray(0, this.rows));
    out.array(this.sizes.subarray(0, this.rows));
    out.array(this.rowTotals.subarray(0, this.rows));
    out.array(this.columnTotals.subarray(0, this.columns));
    this.pool.writeState(out);
  }

  /**
   * Replaces this table's whole state with what {@link writeState} wrote for a table with the same `capacity`,
   * after which it behaves exactly like the writer did. Throws SnapshotFormatError, leaving this table unchanged,
   * when `capacity` differs or the data is inconsistent (a handle outside the pool or shared by two rows, a size
   * that does not fit the row's block or the capacity, a neighbour id never added as a column, a negative total).
   */
  readState(input: StateReader): void {
    input.section("neighbour-table");
    const capacity = input.u32();
    if (capacity !== this.capacity) {
      throw new SnapshotFormatError(
        `NeighbourTable: the snapshot keeps ${capacity} neighbours per source, this table ${this.capacity}`,
      );
    }
    const rows = input.u32();
    const columns = input.u32();
    const grandTotal = input.f64();
    const handles = input.array(Uint32Array);
    const sizes = input.array(Uint16Array);
    const rowTotals = input.array(Float64Array);
    const columnTotals = input.array(Float64Array);
    if (handles.length !== rows || sizes.length !== rows || rowTotals.length !== rows) {
      throw new SnapshotFormatError(
        `NeighbourTable: ${rows} rows, but ${handles.length} handles, ${sizes.length} sizes and ${rowTotals.length} row totals`,
      );
    }
    if (columnTotals.length !== columns) {
      throw new SnapshotFormatError(
        `NeighbourTable: ${columns} columns, but ${columnTotals.length} column totals`,
      );
    }
    if (!(grandTotal >= 0))
      throw new SnapshotFormatError(`NeighbourTable: grand total ${grandTotal} is not >= 0`);
    const badRow = firstNotNonNegative(rowTotals);
    if (badRow >= 0) {
      throw new SnapshotFormatError(`NeighbourTable: row ${badRow} has total ${rowTotals[badRow]}, not >= 0`);
    }
    const badColumn = firstNotNonNegative(columnTotals);
    if (badColumn >= 0) {
      throw new SnapshotFormatError(
        `NeighbourTable: column ${badColumn} has total ${columnTotals[badColumn]}, not >= 0`,
      );
    }
    const pool = new BlockPool(this.pool.minLog2, this.pool.maxLog2);
    pool.readState(input);
    pool.checkHandles(handles, "NeighbourTable: row");
    for (let from = 0; from < rows; from++) {
      const handle = handles[from]!;
      const size = sizes[from]!;
      const entries = handle === NO_BLOCK ? 0 : pool.capacity(handle) >>> 1;
      if (size > entries || size > capacity) {
        throw new SnapshotFormatError(
          `NeighbourTable: row ${from} has ${size} neighbours in a block of ${entries} entries (capacity ${capacity})`,
        );
      }
      if (handle === NO_BLOCK) continue;
      const ids = pool.u32(handle);
      const base = pool.offset(handle);
      for (let at = base; at < base + size * 2; at += 2) {
        if (ids[at]! >= columns) {
          throw new SnapshotFormatError(
            `NeighbourTable: row ${from} has neighbour ${ids[at]}, but only ${columns} columns`,
          );
        }
      }
    }
    const rowCapacity = idCapacity(rows);
    this.handles = withLength(handles, rowCapacity);
    this.sizes = withLength(sizes, rowCapacity);
    this.rowTotals = withLength(rowTotals, rowCapacity);
    this.columnTotals = withLength(columnTotals, idCapacity(columns));
    this.rows = rows;
    this.columns = columns;
    this.grandTotal = grandTotal;
    this.pool = pool;
  }

  private addRows(from: number): void {
    this.rows = from + 1;
    if (from < this.handles.length) return;
    const capacity = idCapacity(from + 1);
    const handles = new Uint32Array(capacity);
    handles.set(this.handles);
    this.handles = handles;
    const sizes = new Uint16Array(capacity);
    sizes.set(this.sizes);
    this.sizes = sizes;
    const rowTotals = new Float64Array(capacity);
    rowTotals.set(this.rowTotals);
    this.rowTotals = rowTotals;
  }

  private addColumns(to: number): void {
    this.columns = to + 1;
    if (to < this.columnTotals.length) return;
    const capacity = idCapacity(to + 1);
    const columnTotals = new Float64Array(capacity);
    columnTotals.set(this.columnTotals);
    this.columnTotals = columnTotals;
  }
}
