import { describe, expect, it } from "vitest";
import { NeighbourTable } from "./neighbour-table.js";
import { HashingStateWriter } from "./state-writer.js";

function entries(table: NeighbourTable, from: number): [number, number][] {
  const out: [number, number][] = [];
  table.forEach(from, (to, weight) => {
    out.push([to, weight]);
  });
  return out;
}

function hash(table: NeighbourTable): string {
  const out = new HashingStateWriter();
  table.writeState(out);
  return out.digest();
}

describe("NeighbourTable", () => {
  it("counts pair weights and keeps insertion order", () => {
    const table = new NeighbourTable(8);
    table.add(1, 5);
    table.add(1, 6, 2.5);
    table.add(1, 5);
    table.add(2, 5, 3);
    expect(table.weight(1, 5)).toBe(2);
    expect(table.weight(1, 6)).toBe(2.5);
    expect(table.weight(1, 7)).toBe(0);
    expect(table.weight(99, 5)).toBe(0);
    expect(table.size(1)).toBe(2);
    expect(table.size(3)).toBe(0);
    expect(entries(table, 1)).toEqual([
      [5, 2],
      [6, 2.5],
    ]);
    expect(entries(table, 2)).toEqual([[5, 3]]);
  });

  it("keeps all neighbours while growing up to capacity", () => {
    const table = new NeighbourTable(32);
    for (let to = 0; to < 32; to++) table.add(0, 1000 + to, to + 1);
    expect(table.size(0)).toBe(32);
    expect(entries(table, 0)).toEqual(Array.from({ length: 32 }, (_, k) => [1000 + k, k + 1]));
  });

  it("when full, replaces the lightest neighbour and gives the newcomer its weight plus one (Space-Saving)", () => {
    const table = new NeighbourTable(3);
    table.add(0, 10, 5);
    table.add(0, 11, 2);
    table.add(0, 12, 4);
    table.add(0, 13); // evicts 11 (weight 2): 13 gets 2 + 1
    expect(entries(table, 0)).toEqual([
      [10, 5],
      [13, 3],
      [12, 4],
    ]);
    expect(table.weight(0, 11)).toBe(0);
    table.add(0, 13, 0.5);
    expect(table.weight(0, 13)).toBe(3.5);
    // Ties: the first minimum in storage order goes.
    const ties = new NeighbourTable(2);
    ties.add(0, 1);
    ties.add(0, 2);
    ties.add(0, 3);
    expect(entries(ties, 0)).toEqual([
      [3, 2],
      [2, 1],
    ]);
  });

  it("keeps row, column and grand totals including evicted weight", () => {
    const table = new NeighbourTable(2);
    table.add(0, 1, 1);
    table.add(0, 2, 2);
    table.add(0, 3, 4); // evicts 1
    table.add(5, 3, 8);
    expect(table.rowTotal(0)).toBe(7);
    expect(table.rowTotal(5)).toBe(8);
    expect(table.rowTotal(4)).toBe(0);
    expect(table.columnTotal(1)).toBe(1);
    expect(table.columnTotal(3)).toBe(12);
    expect(table.columnTotal(1_000_000)).toBe(0);
    expect(table.total).toBe(15);
  });

  it("subtract undoes an add: pair weight and totals go down, never below zero", () => {
    const table = new NeighbourTable(4);
    table.add(0, 1, 3);
    table.add(0, 2, 0.2);
    table.add(0, 3, 1);
    table.subtract(0, 1);
    expect(table.weight(0, 1)).toBe(2);
    expect(table.rowTotal(0)).toBeCloseTo(3.2, 10);
    expect(table.columnTotal(1)).toBe(2);
    expect(table.total).toBeCloseTo(3.2, 10);
    // A pair that reaches zero is gone; the others keep their order.
    table.subtract(0, 2, 0.2);
    expect(table.weight(0, 2)).toBe(0);
    expect(entries(table, 0)).toEqual([
      [1, 2],
      [3, 1],
    ]);
    // Over-refunding clamps at zero.
    table.subtract(0, 3, 10);
    expect(table.weight(0, 3)).toBe(0);
    expect(table.columnTotal(3)).toBe(0);
    expect(table.rowTotal(0)).toBe(0);
    expect(table.total).toBe(0);
    expect(entries(table, 0)).toEqual([[1, 2]]);
  });

  it("subtract of an absent pair still lowers the totals", () => {
    const table = new NeighbourTable(1);
    table.add(0, 1, 2);
    table.add(0, 2, 1); // evicts 1: 2 now has 3
    table.subtract(0, 1, 2);
    expect(entries(table, 0)).toEqual([[2, 3]]);
    expect(table.rowTotal(0)).toBe(1);
    expect(table.columnTotal(1)).toBe(0);
    expect(table.total).toBe(1);
    table.subtract(7, 8); // never seen
    expect(table.total).toBe(0);
  });

  it("a subtracted-away row can be filled again", () => {
    const table = new NeighbourTable(4);
    table.add(3, 1);
    table.subtract(3, 1);
    expect(table.size(3)).toBe(0);
    table.add(3, 2, 2);
    expect(entries(table, 3)).toEqual([[2, 2]]);
  });

  it("hashes the same call sequence the same way, and a different one differently", () => {
    const run = (order: number[]) => {
      const table = new NeighbourTable(4);
      for (let k = 0; k < 50; k++) table.add(k % 5, (k * 7) % 11, 1 + (k % 3));
      for (const to of order) table.add(9, to);
      table.subtract(1, 3);
      return hash(table);
    };
    expect(run([1, 2, 3])).toBe(run([1, 2, 3]));
    expect(run([1, 2, 3])).not.toBe(run([3, 2, 1]));
  });
});
