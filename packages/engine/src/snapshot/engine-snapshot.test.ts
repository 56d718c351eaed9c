import type { SibylEvent } from "@sibyl/events";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sampleEvents } from "../durable/durable-test-support.js";
import { createEngine, type Engine, engineInternals } from "../engine.js";
import { BinaryStateReader, BinaryStateWriter } from "../state/binary-state.js";
import type { StateWriter } from "../state/state-writer.js";
import { HashingStateWriter } from "../state/state-writer.js";

/** Hashes each section separately, so a mismatch names the section that differs. */
class SectionHashes implements StateWriter {
  readonly sections: [string, HashingStateWriter][] = [["(start)", new HashingStateWriter()]];
  private get current(): HashingStateWriter {
    return this.sections.at(-1)![1];
  }
  section(name: string): void {
    this.sections.push([name, new HashingStateWriter()]);
  }
  u32(value: number): void {
    this.current.u32(value);
  }
  f64(value: number): void {
    this.current.f64(value);
  }
  string(value: string): void {
    this.current.string(value);
  }
  array(values: ArrayBufferView): void {
    this.current.array(values);
  }
  digests(): string[] {
    return this.sections.map(([name, hash]) => `${name}: ${hash.digest()}`);
  }
}

function sectionDigests(engine: Engine): string[] {
  const out = new SectionHashes();
  engineInternals(engine).state.writeState(out);
  return out.digests();
}

function restored(engine: Engine): Engine {
  const chunks: Buffer[] = [];
  const writer = new BinaryStateWriter((chunk) => chunks.push(Buffer.from(chunk)), 4096);
  engineInternals(engine).state.writeState(writer);
  writer.flush();
  const copy = createEngine(engine.options);
  const reader = new BinaryStateReader(chunks[Symbol.iterator]());
  engineInternals(copy).state.readState(reader);
  expect(reader.done).toBe(true);
  return copy;
}

describe("engine snapshot round trip", () => {
  it("restores every section exactly, and the copy then evolves exactly as the original", () => {
    const events = sampleEvents(3000);
    const original = createEngine();
    original.applyBatch(events.slice(0, 2000));
    const copy = restored(original);
    expect(sectionDigests(copy)).toEqual(sectionDigests(original));
    original.applyBatch(events.slice(2000));
    copy.applyBatch(events.slice(2000));
    expect(sectionDigests(copy)).toEqual(sectionDigests(original));
  });

  it("holds for any split point of any stream (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 600 }), (seed, split) => {
        const events: SibylEvent[] = sampleEvents(600, seed);
        const original = createEngine();
        original.applyBatch(events.slice(0, split));
        const copy = restored(original);
        original.applyBatch(events.slice(split));
        copy.applyBatch(events.slice(split));
        expect(sectionDigests(copy)).toEqual(sectionDigests(original));
      }),
      { numRuns: 60 },
    );
  });
});

describe("saveSnapshot / loadSnapshot", () => {
  it("moves a whole state through a file, with the options it was built with", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { loadSnapshot, saveSnapshot } = await import("./engine-snapshot.js");
    const original = createEngine({ historyLength: 16 });
    original.applyBatch(sampleEvents(500));
    const path = join(mkdtempSync(join(tmpdir(), "sibyl-snap-")), "state.snap");
    expect(saveSnapshot(original, path).bytes).toBeGreaterThan(0);
    const { engine, meta } = loadSnapshot(path);
    expect(meta).toMatchObject({ format: 1, events: 500 });
    expect(engine.options.historyLength).toBe(16);
    expect(engine.stateHash()).toBe(original.stateHash());
  });
});
