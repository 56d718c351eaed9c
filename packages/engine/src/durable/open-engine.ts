import { join } from "node:path";
import type { RecoResponse } from "@sibyl/events";
import { engineInternals, shareInternals } from "../engine.js";
import { SibylEngineError } from "../errors/engine-errors.js";
import { comparePositions, EventLog, type LogPosition } from "../log/index.js";
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
import { LogOrder } from "./log-order.js";
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
    onBackgroundError = (error: Error) => process.emitWarning(error),
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

  const order = new LogOrder();
  /** Settles once the last recommendation request's record is durable (or could not be written before close). */
  let lastRequest: Promise<unknown> = Promise.resolve();
  const advance = (position: LogPosition) => {
    if (lastApplied === null || comparePositions(position, lastApplied) > 0) lastApplied = position;
  };
  const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

  const takeSnapshot = () => schedule.write({ lastApplied });

  /**
   * A snapshot must hold exactly the log up to its lastApplied. Answered requests whose records are not durable
   * yet are in the state but not in that prefix, so the snapshot takes a turn after the last of them is written:
   * requests arriving meanwhile wait behind it, and are applied after it.
   */
  const snapshotInTurn = () =>
    order.inTurn(lastRequest, () => {
      const info = takeSnapshot();
      const oldest = logRetention === "snapshots" ? store.list()[0] : undefined;
      const pruned: Promise<unknown> = oldest ? log.deleteSegmentsBefore(oldest.position) : Promise.resolve();
      return { info, pruned };
    });

  /**
   * What follows applying an ingest batch, in its turn: everything logged before it is then durable and applied,
   * so the state is exactly the log up to lastApplied and a snapshot can be taken at once.
   */
  const afterApply = async (erased: ErasedKey[]) => {
    if (erased.length > 0) {
      // The fresh snapshot covers the erasure; older snapshots and the log before it still name the erased.
      const snapshot = takeSnapshot();
      store.removeAllBut(snapshot.path);
      return eraseFromLog(log, erased, lastApplied!);
    }
    if (!schedule.due()) return;
    takeSnapshot();
    if (logRetention === "snapshots") {
      const oldest = store.list()[0];
      if (oldest) await log.deleteSegmentsBefore(oldest.position);
    }
  };

  let snapshotQueued = false;
  const snapshotIfDue = () => {
    if (snapshotQueued || !schedule.due()) return;
    snapshotQueued = true;
    snapshotInTurn()
      .then(({ pruned }) => pruned)
      .catch((error: unknown) => onBackgroundError(asError(error)))
      .finally(() => {
        snapshotQueued = false;
      });
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
      const { positions, followUp } = await order.inTurn(log.append(encodeEvents(accepted)), (positions) => {
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
          advance(positions[index]!);
        });
        schedule.noteApplied(accepted.length);
        // Snapshots are taken within the turn, where the state is exactly the log up to lastApplied.
        return { positions, followUp: afterApply(erased) };
      });
      await followUp;
      return { accepted: accepted.length, positions, rejected };
    },

    /**
     * Answers from the state at once: a recommendation carries no acknowledgement, so it does not wait for its
     * record to be durable. The record is queued in the log now — its place fixes its turn, after every earlier
     * ingest batch is applied — and is written behind the answer; if that fails it is kept and retried ahead of
     * everything logged later (reported to onBackgroundError), so the log never skips a request whose answer
     * later events may refer to. A crash before it is durable loses the request, and only it.
     */
    async recommend(input) {
      writable();
      const stamped = stampRequest(input, clock());
      engine.check(stamped);
      const logged = log.appendPinned(encodeEvents([stamped]), (error) => onBackgroundError(asError(error)));
      lastRequest = logged.then(
        ([position]) => advance(position!),
        // Only a log closed before the record could be written gets here; the request is then not in the log.
        (error: unknown) => onBackgroundError(asError(error)),
      );
      return order.inTurn(Promise.resolve(), () => {
        const { outcome, result } = internals.applyEvent(stamped);
        schedule.noteApplied(1);
        snapshotIfDue();
        return outcome === "applied" ? (result as RecoResponse) : engine.preview(stamped);
      });
    },

    async snapshot() {
      writable();
      const { info, pruned } = await snapshotInTurn();
      await pruned;
      return info;
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
