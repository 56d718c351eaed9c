/**
 * Test support for the event log's tests: temporary directories, deterministic payloads and randomness, and
 * whole-directory snapshots. Kept free of vitest so it type-checks like any other module.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventLog } from "./event-log.js";

/** A fresh empty directory under the OS temp dir; `cleanup` removes it. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "sibyl-log-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The UTF-8 JSON of a stamped event, shaped like the engine's, with a size that varies with `i`. */
export function eventPayload(i: number, extra = ""): Buffer {
  const event = {
    type: "view",
    visitor: `v${i % 17}`,
    item: `item-${i}`,
    at: 1_700_000_000_000 + i,
    seq: i,
    note: "x".repeat(i % 41) + extra,
  };
  return Buffer.from(JSON.stringify(event));
}

/** Mulberry32: a tiny seeded PRNG, so "random" test cases are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every EVENT payload of the log, as strings, in order. */
export function readAll(log: EventLog): string[] {
  return [...log.read()].map((r) => r.payload.toString("utf8"));
}

export interface FileSnapshot {
  name: string;
  bytes: Buffer;
  mtimeMs: number;
}

/** Names, contents and modification times of every file in `dir`, sorted by name. */
export function snapshotDir(dir: string): FileSnapshot[] {
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const path = join(dir, name);
      return { name, bytes: readFileSync(path), mtimeMs: statSync(path).mtimeMs };
    });
}

/** Files of `dir` whose bytes contain `marker` anywhere. */
export function filesContaining(dir: string, marker: string): string[] {
  const needle = Buffer.from(marker, "utf8");
  return readdirSync(dir).filter((name) => readFileSync(join(dir, name)).includes(needle));
}
