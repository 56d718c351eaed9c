import type { SibylEvent } from "@sibyl/events";
import type { Engine } from "../engine.js";
import { comparePositions, type EventLog, type LogPosition } from "../log/index.js";
import type { ResolvedOptions } from "../options.js";
import type { SnapshotStore } from "../snapshot/snapshot-store.js";
import { loadNewestSnapshot, type SnapshotFallback } from "./load-snapshot.js";
import type { SnapshotMeta } from "./snapshot-meta.js";
import type { Moment } from "./until.js";

const REPLAY_BATCH = 10_000;

export interface Recovered {
  engine: Engine;
  lastApplied: LogPosition | null;
  /** The snapshot the state started from, or null for a replay of the whole log. */
  snapshot: string | null;
  /** Newer snapshots that could not be used, and why. */
  fallbacks: SnapshotFallback[];
  /** Log records applied after the snapshot. */
  replayed: number;
  /** Replayed events the engine refused (the same ones it refused when they were first applied). */
  refused: number;
}

/**
 * Rebuilds an engine: the newest usable snapshot (one that loads, was built with the same options, and lies
 * before `until`), then every log record after it — up to `until` when rebuilding a past moment.
 */
export function recover(
  options: ResolvedOptions,
  log: EventLog,
  store: SnapshotStore,
  until: Moment | undefined,
  progress?: (replayed: number) => void,
): Recovered {
  const loaded = loadNewestSnapshot(options, store, undefined, (meta) =>
    until && !precedes(meta, until) ? "pass" : "use",
  );
  const { engine, meta, fallbacks } = loaded;
  const snapshot = loaded.path;
  let lastApplied = meta?.lastApplied ?? null;
  let replayed = 0;
  let refused = 0;
  let batch: SibylEvent[] = [];
  const flush = () => {
    const result = engine.applyBatch(batch);
    refused += result.failed.length;
    replayed += batch.length;
    batch = [];
    progress?.(replayed);
  };
  const untilPosition = until?.kind === "position" ? until.position : undefined;
  for (const record of log.read(lastApplied ?? undefined, untilPosition)) {
    if (lastApplied && comparePositions(record.position, lastApplied) <= 0) continue;
    const event = JSON.parse(record.payload.toString("utf8")) as SibylEvent;
    if (until?.kind === "time" && (event.event_time ?? 0) > until.timeMs) continue;
    batch.push(event);
    lastApplied = record.position;
    if (batch.length >= REPLAY_BATCH) flush();
  }
  if (batch.length > 0) flush();
  return { engine, lastApplied, snapshot, fallbacks, replayed, refused };
}

/** Whether a snapshot's state lies entirely before the moment. */
function precedes(meta: SnapshotMeta, until: Moment): boolean {
  if (until.kind === "time") return meta.eventTime <= until.timeMs;
  return meta.lastApplied === null || comparePositions(meta.lastApplied, until.position) < 0;
}
