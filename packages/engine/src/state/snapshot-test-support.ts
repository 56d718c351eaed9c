/**
 * Shared harness for the snapshot tests of state components (anything with `writeState` / `readState`): writing
 * a component through a BinaryStateWriter into chunks, reading it back, hashing it, recording its writes so that a
 * test can corrupt one and replay the rest, and the "restore at any point" property. Test-only: excluded from the
 * package build (tsconfig.build.json).
 */
import fc from "fast-check";
import { expect } from "vitest";
import { BinaryStateReader, BinaryStateWriter } from "./binary-state.js";
import type { BlockPool } from "./block-pool.js";
import type { StateArray, StateReader } from "./state-reader.js";
import { HashingStateWriter, type StateWriter } from "./state-writer.js";

/** A component that writes its state to a StateWriter. */
export interface StateWriting {
  writeState(out: StateWriter): void;
}

/** A component that replaces its state with what a StateReader holds. */
export interface StateReading {
  readState(input: StateReader): void;
}

/** What `write` writes, through a BinaryStateWriter that emits chunks of `chunkSize` bytes. */
export function chunksOf(write: (out: StateWriter) => void, chunkSize = 64): Buffer[] {
  const chunks: Buffer[] = [];
  const writer = new BinaryStateWriter((chunk) => chunks.push(Buffer.from(chunk)), chunkSize);
  write(writer);
  writer.flush();
  return chunks;
}

export function readerOf(chunks: Buffer[]): BinaryStateReader {
  return new BinaryStateReader(chunks[Symbol.iterator]());
}

/** A component's snapshot, as one buffer. */
export function snapshotBytes(component: StateWriting): Buffer {
  return Buffer.concat(chunksOf((out) => component.writeState(out)));
}

/** The SHA-256 of what a component writes. */
export function stateHash(component: StateWriting): string {
  const out = new HashingStateWriter();
  component.writeState(out);
  return out.digest();
}

/** `source` snapshotted into `target` through a BinaryStateWriter/Reader pair; checks every byte was read. */
export function restore<T extends StateReading>(source: StateWriting, target: T, chunkSize = 64): T {
  const reader = readerOf(chunksOf((out) => source.writeState(out), chunkSize));
  target.readState(reader);
  expect(reader.done).toBe(true);
  return target;
}

/**
 * Words a component's `pool` (a BlockPool) reserves: not observable through its API, but must grow the same way
 * after a restore.
 */
export function poolReservedWords(component: object): number {
  return (component as unknown as { pool: BlockPool }).pool.reservedWords;
}

/** Records writes so that tests can corrupt one and replay the rest. */
export type Write =
  | { kind: "section"; value: string }
  | { kind: "string"; value: string }
  | { kind: "u32"; value: number }
  | { kind: "f64"; value: number }
  | { kind: "array"; value: StateArray };

export class RecordingWriter implements StateWriter {
  readonly writes: Write[] = [];
  section(value: string): void {
    this.writes.push({ kind: "section", value });
  }
  u32(value: number): void {
    this.writes.push({ kind: "u32", value });
  }
  f64(value: number): void {
    this.writes.push({ kind: "f64", value });
  }
  string(value: string): void {
    this.writes.push({ kind: "string", value });
  }
  array(values: ArrayBufferView): void {
    this.writes.push({ kind: "array", value: (values as StateArray).slice() });
  }
}

/** The writes a component makes, recorded. */
export function recordWrites(component: StateWriting): Write[] {
  const out = new RecordingWriter();
  component.writeState(out);
  return out.writes;
}

/** A reader of `writes` as a BinaryStateWriter would have written them. */
export function replay(writes: Write[]): BinaryStateReader {
  return readerOf(
    chunksOf((out) => {
      for (const w of writes) {
        if (w.kind === "array") out.array(w.value);
        else if (w.kind === "u32") out.u32(w.value);
        else if (w.kind === "f64") out.f64(w.value);
        else if (w.kind === "section") out.section(w.value);
        else out.string(w.value);
      }
    }),
  );
}

/**
 * Records `source`'s writes now and applies `edit` to them; the returned function reads the edited writes into
 * `target()` (for `expect(...).toThrow`).
 */
export function corruptRestore(
  source: StateWriting,
  edit: (writes: Write[]) => void,
  target: () => StateReading,
): () => void {
  const writes = recordWrites(source);
  edit(writes);
  return () => target().readState(replay(writes));
}

/** An edit that sets element `index` of the array written at `at`. */
export function setArrayEntry(at: number, index: number, value: number): (writes: Write[]) => void {
  return (writes) => {
    (writes[at] as { value: StateArray }).value[index] = value;
  };
}

/** A "behaves like the original after a restore at any point" property of a component. */
export interface RestoreAtAnyPoint<T, Op, P> {
  /** Parameters to make components with (a capacity, say); none when left out. */
  params?: fc.Arbitrary<P>;
  /** A new component; the source and the target of each run are each made with it. */
  make: (param: P) => T;
  op: fc.Arbitrary<Op>;
  apply: (component: T, op: Op) => void;
  /** The most ops a run makes (a prefix of them builds the source, the rest then go to both). */
  maxOps: number;
  /** The most ops the target takes before the restore replaces its state. */
  maxJunk: number;
  /** Checks after each op that both took after the restore. */
  afterEachOp?: (source: T, target: T, op: Op) => void;
  /** The final checks of a run. */
  atEnd: (source: T, target: T) => void;
}

/**
 * Checks (300 runs) that a component restored from a source built by a prefix of some ops, into a target that
 * had other ops ("junk"), through chunks of 8, 64 or 4096 bytes, hashes as the source does and then follows it
 * through the remaining ops (applied to the source first).
 */
export function assertRestoreAtAnyPoint<T extends StateWriting & StateReading, Op, P = undefined>(
  spec: RestoreAtAnyPoint<T, Op, P>,
): void {
  const run = (param: P, ops: Op[], junk: Op[], cut: number, chunkSize: number): void => {
    const split = cut % (ops.length + 1);
    const a = spec.make(param);
    for (const o of ops.slice(0, split)) spec.apply(a, o);
    const b = spec.make(param);
    for (const o of junk) spec.apply(b, o);
    restore(a, b, chunkSize);
    expect(stateHash(b)).toBe(stateHash(a));
    for (const o of ops.slice(split)) {
      spec.apply(a, o);
      spec.apply(b, o);
      spec.afterEachOp?.(a, b, o);
    }
    spec.atEnd(a, b);
  };
  const opLists = fc.array(spec.op, { maxLength: spec.maxOps });
  const junkLists = fc.array(spec.op, { maxLength: spec.maxJunk });
  const chunkSizes = fc.constantFrom(8, 64, 4096);
  if (spec.params === undefined) {
    const property = fc.property(opLists, junkLists, fc.nat(), chunkSizes, (ops, junk, cut, chunkSize) =>
      run(undefined as P, ops, junk, cut, chunkSize),
    );
    fc.assert(property, { numRuns: 300 });
  } else {
    fc.assert(fc.property(spec.params, opLists, junkLists, fc.nat(), chunkSizes, run), { numRuns: 300 });
  }
}
