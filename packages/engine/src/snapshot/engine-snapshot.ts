import { createEngine, type Engine, engineInternals } from "../engine.js";
import type { EngineOptions } from "../options.js";
import { readSnapshotFile, readSnapshotMeta, writeSnapshotFile } from "./snapshot-file.js";

/** What `saveSnapshot` records beside the state. */
export interface StandaloneSnapshotMeta {
  format: 1;
  options: Engine["options"];
  events: number;
  eventTime: number;
  writtenAt: string;
}

/**
 * Writes an engine's whole state to one snapshot file, atomically. For data directories, `openEngine` manages
 * snapshots itself; this is for moving a state between machines and for measuring.
 */
export function saveSnapshot(engine: Pick<Engine, "options" | "stats">, path: string): { bytes: number } {
  const stats = engine.stats();
  const meta: StandaloneSnapshotMeta = {
    format: 1,
    options: engine.options,
    events: stats.totalEvents + stats.duplicates,
    eventTime: stats.now,
    writtenAt: new Date().toISOString(),
  };
  return { bytes: writeSnapshotFile(path, meta, (out) => engineInternals(engine).state.writeState(out)) };
}

/** Reads a snapshot file into a new engine built with the options the snapshot records (overridable). */
export function loadSnapshot(
  path: string,
  options?: EngineOptions,
): { engine: Engine; meta: StandaloneSnapshotMeta } {
  const recorded = readSnapshotMeta<StandaloneSnapshotMeta>(path);
  const engine = createEngine(options ?? recorded.options);
  const meta = readSnapshotFile<StandaloneSnapshotMeta>(path, (input) =>
    engineInternals(engine).state.readState(input),
  );
  return { engine, meta };
}
