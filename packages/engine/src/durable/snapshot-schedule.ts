import { type Engine, engineInternals } from "../engine.js";
import type { ResolvedOptions } from "../options.js";
import { writeSnapshotFile } from "../snapshot/snapshot-file.js";
import type { SnapshotStore } from "../snapshot/snapshot-store.js";
import { type SnapshotMeta, snapshotPosition } from "./snapshot-meta.js";

export interface SnapshotInfo {
  path: string;
  bytes: number;
  events: number;
  seconds: number;
}

export interface SnapshotPolicy {
  /** Write a snapshot after this many applied events (0: never automatically). */
  snapshotEvery: number;
  /** Write one when this much wall-clock time has passed since the last and events arrived (0: never). */
  snapshotIntervalMs: number;
  /** Snapshots kept; older ones are deleted after each new one. */
  snapshotsKept: number;
  onSnapshot?: (info: SnapshotInfo) => void;
}

/** Where in its log a state ends, as a snapshot records it. */
export type SnapshotPlace = Pick<SnapshotMeta, "log" | "lastApplied" | "nextOffset">;

/** When to write snapshots of an engine, and writing them: the same for the file log and a shared log. */
export class SnapshotSchedule {
  private sinceSnapshot = 0;
  private lastSnapshotAt = performance.now();

  constructor(
    private readonly engine: Engine,
    private readonly options: ResolvedOptions,
    readonly store: SnapshotStore,
    private readonly policy: SnapshotPolicy,
  ) {}

  noteApplied(events: number): void {
    this.sinceSnapshot += events;
  }

  /** Whether the policy asks for a snapshot now. */
  due(): boolean {
    const { snapshotEvery, snapshotIntervalMs } = this.policy;
    return (
      (snapshotEvery > 0 && this.sinceSnapshot >= snapshotEvery) ||
      (snapshotIntervalMs > 0 &&
        this.sinceSnapshot > 0 &&
        performance.now() - this.lastSnapshotAt >= snapshotIntervalMs)
    );
  }

  /** Writes a snapshot of the state as it is now, which ends at `place`, and prunes old ones. */
  write(place: SnapshotPlace): SnapshotInfo {
    const start = performance.now();
    const stats = this.engine.stats();
    const meta: SnapshotMeta = {
      format: 1,
      ...(place.log === undefined ? {} : { log: place.log }),
      lastApplied: place.lastApplied,
      ...(place.nextOffset === undefined ? {} : { nextOffset: place.nextOffset }),
      events: stats.totalEvents + stats.duplicates,
      eventTime: stats.now,
      options: this.options,
      writtenAt: new Date().toISOString(),
    };
    const path = this.store.pathFor(snapshotPosition(meta));
    const internals = engineInternals(this.engine);
    const bytes = writeSnapshotFile(path, meta, (out) => internals.state.writeState(out));
    this.store.prune(this.policy.snapshotsKept);
    this.sinceSnapshot = 0;
    this.lastSnapshotAt = performance.now();
    const info = { path, bytes, events: meta.events, seconds: (performance.now() - start) / 1000 };
    this.policy.onSnapshot?.(info);
    return info;
  }
}
