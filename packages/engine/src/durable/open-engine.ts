import { join } from "node:path";
import type { RecoResponse } from "@sibyl/events";
import { engineInternals, shareInternals } from "../engine.js";
import { SibylEngineError } from "../errors/engine-errors.js";
import { EventLog } from "../log/index.js";
import { resolveOptions } from "../options.js";
import { SnapshotStore } from "../snapshot/snapshot-store.js";
import {
  type FileEngine,
  type RecoveryInfo,
  ReadOnlyEngineError,
  type ReplicaEngine,
} from "./durable-engine.js";
import { type OpenEngineOptions, type OpenReplicaOptions, SNAPSHOT_DEFAULTS } from "./durable-options.js";
import { type ErasedKey, eraseFromLog } from "./erasure.js";
import { openReplica } from "./open-replica.js";
import { recover } from "./recover.js";
import { SnapshotSchedule } from "./snapshot-schedule.js";
import { encodeEvents, readMembers, stampEvents, stampRequest } from "./stamp-events.js";
import { parseMoment } from "./until.js";

export type {
  AppendResult,
  DurableEngine,
  FileEngine,
  RecoveryInfo,
  ReplicaEngine,
} from "./durable-engine.js";
export { ReadOnlyEngineError, SharedLogError } from "./durable-engine.js";
export type { SnapshotInfo } from "./snapshot-schedule.js";

/**
 * Opens the durable engine of a data directory: recovers the newest valid snapshot plus the log after it (a torn
 * log tail is truncated and reported; corruption in the middle refuses to start unless `skipCorrupt`), or, with
 * `until`, rebuilds a past moment read-only. With `log`, the engine is a replica on that shared log instead (see
 * openReplica): the data directory then only holds its snapshots.
 */
export async function openEngine(options: OpenReplicaOptions): Promise<ReplicaEngine>;
export async function openEngine(options: OpenEngineOptions): Promise<FileEngine>;
export async function openEngine(
  options: OpenEngineOptions | OpenReplicaOptions,
): Promise<FileEngine | ReplicaEngine>;
export async function openEngine(
  options: OpenEngineOptions | OpenReplicaOptions,
): Promise<FileEngine | ReplicaEngine> {
  if ("log" in options) return openReplica(options);
  return openFileEngine(options);
}

async function openFileEngine(options: OpenEngineOptions): Promise<FileEngine> {
  const started = performance.now();
  const {
    dataDir,
    durability = "always",
    intervalMs,
    segmentBytes,
    snapshotEvery = SNAPSHOT_DEFAULTS.snapshotEvery,
    snapshotIntervalMs = SNAPSHOT_DEFAULTS.snapshotIntervalMs,
    snapshotsKept = SNAPSHOT_DEFAULTS.snapshotsKept,
    logRetention = "all",
    skipCorrupt = false,
    until,
    clock = Date.now,
    fs,
    onSnapshot,
    ...engineOptions
  } = options;
  const resolved = resolveOptions(engineOptions);
  const readOnly = until !== undefined;
  const moment = until === undefined ? undefined : parseMoment(until);
  const { log, recovery: logRecovery } = await EventLog.open({
    dir: join(dataDir, "log"),
    durability,
    readOnly,
    skipCorrupt,
    ...(intervalMs === undefined ? {} : { intervalMs }),
    ...(segmentBytes === undefined ? {} : { segmentBytes }),
    ...(fs === undefined ? {} : { fs }),
  });
  const store = new SnapshotStore(join(dataDir, "snapshots"));
  if (!readOnly) store.ensure();
  const recovered = recover(resolved, log, store, moment);
  const { engine } = recovered;
  const internals = engineInternals(engine);
  let lastApplied = recovered.lastApplied;
  let closed = false;
  const schedule = new SnapshotSchedule(engine, resolved, store, {
    snapshotEvery,
    snapshotIntervalMs,
    snapshotsKept,
    ...(onSnapshot === undefined ? {} : { onSnapshot }),
  });
  schedule.noteApplied(recovered.replayed);

  const recovery: RecoveryInfo = {
    snapshot: recovered.snapshot,
    fallbacks: recovered.fallbacks,
    replayed: recovered.replayed,
    refused: recovered.refused,
    log: logRecovery,
    seconds: (performance.now() - started) / 1000,
  };

  const writable = () => {
    if (readOnly) throw new ReadOnlyEngineError();
    if (closed) throw new SibylEngineError("closed", "the engine is closed");
  };

  const takeSnapshot = () => schedule.write({ lastApplied });

  const afterApply = async (erased: ErasedKey[]) => {
    if (erased.length > 0) {
      // The fresh snapshot covers the erasure; older snapshots and the log before it still name the erased.
      const snapshot = takeSnapshot();
      store.removeAllBut(snapshot.path);
      await eraseFromLog(log, erased, lastApplied!);
      return;
    }
    if (!schedule.due()) return;
    takeSnapshot();
    if (logRetention === "snapshots") {
      const oldest = store.list()[0];
      if (oldest) await log.deleteSegmentsBefore(oldest.position);
    }
  };

  const durableEngine: FileEngine = {
    ...readMembers(engine),
    dataDir,
    readOnly,
    recovery,
    get lastApplied() {
      return lastApplied;
    },
    replication: () => null,
    catchUp: async () => {},

    async append(events) {
      writable();
      const { accepted, rejected } = stampEvents(engine, events, clock());
      if (accepted.length === 0) return { accepted: 0, positions: [], rejected };
      const positions = await log.append(encodeEvents(accepted));
      const erased: ErasedKey[] = [];
      accepted.forEach((event, index) => {
        try {
          const { result } = internals.applyEvent(event);
          if (event.event_type === "UserForget" && Array.isArray(result))
            erased.push(...(result as ErasedKey[]));
        } catch (error) {
          // Checked before logging, so only a change between check and apply (a placement removed by an
          // earlier append) gets here; a replay refuses the same event the same way.
          if (!(error instanceof SibylEngineError)) throw error;
        }
        lastApplied = positions[index]!;
      });
      schedule.noteApplied(accepted.length);
      await afterApply(erased);
      return { accepted: accepted.length, positions, rejected };
    },

    async recommend(input) {
      writable();
      const stamped = stampRequest(input, clock());
      engine.check(stamped);
      const [position] = await log.append(encodeEvents([stamped]));
      const { outcome, result } = internals.applyEvent(stamped);
      lastApplied = position!;
      schedule.noteApplied(1);
      await afterApply([]);
      return outcome === "applied" ? (result as RecoResponse) : engine.preview(stamped);
    },

    async snapshot() {
      writable();
      return takeSnapshot();
    },

    async close() {
      if (closed) return;
      closed = true;
      await log.close();
    },
  };
  shareInternals(engine, durableEngine);
  return durableEngine;
}
