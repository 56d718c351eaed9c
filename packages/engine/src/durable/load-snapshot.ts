import { createEngine, type Engine, engineInternals } from "../engine.js";
import type { ResolvedOptions } from "../options.js";
import { readSnapshotFile } from "../snapshot/snapshot-file.js";
import type { SnapshotStore } from "../snapshot/snapshot-store.js";
import type { SnapshotMeta } from "./snapshot-meta.js";

export interface SnapshotFallback {
  path: string;
  reason: string;
}

export interface LoadedSnapshot {
  /** The engine holding the snapshot's state, or a fresh one when no snapshot could be used. */
  engine: Engine;
  meta: SnapshotMeta | undefined;
  /** The snapshot the state came from, or null. */
  path: string | null;
  /** Newer snapshots that could not be used, and why. */
  fallbacks: SnapshotFallback[];
}

/**
 * Verdict on a snapshot that loaded: `"use"` it, `"pass"` over it quietly (it lies after the moment being
 * rebuilt), or refuse it with a reason that is reported in the fallbacks.
 */
export type SnapshotVerdict = "use" | "pass" | { refuse: string };

/**
 * Loads the newest snapshot of the store that reads without error, was built with `options` on the expected
 * log (`log`: undefined for the file log), and that `judge` accepts; older ones are tried in turn.
 */
export function loadNewestSnapshot(
  options: ResolvedOptions,
  store: SnapshotStore,
  log: string | undefined,
  judge: (meta: SnapshotMeta) => SnapshotVerdict = () => "use",
): LoadedSnapshot {
  const fallbacks: SnapshotFallback[] = [];
  for (const entry of store.list().reverse()) {
    const candidate = createEngine(options);
    try {
      const meta = readSnapshotFile<SnapshotMeta>(entry.path, (input) =>
        engineInternals(candidate).state.readState(input),
      );
      if (JSON.stringify(meta.options) !== JSON.stringify(options)) {
        fallbacks.push({ path: entry.path, reason: "built with other engine options" });
        continue;
      }
      if (meta.log !== log) {
        const built = meta.log ?? "the data directory's file log";
        fallbacks.push({ path: entry.path, reason: `built from ${built}, not ${log ?? "the file log"}` });
        continue;
      }
      const verdict = judge(meta);
      if (verdict === "pass") continue;
      if (verdict !== "use") {
        fallbacks.push({ path: entry.path, reason: verdict.refuse });
        continue;
      }
      return { engine: candidate, meta, path: entry.path, fallbacks };
    } catch (error) {
      fallbacks.push({ path: entry.path, reason: (error as Error).message });
    }
  }
  return { engine: createEngine(options), meta: undefined, path: null, fallbacks };
}
