import { join } from "node:path";
import { type SibylEvent, validateEvent } from "@sibyl/events";
import { shareInternals } from "../engine.js";
import { InvalidRequestError, SibylEngineError } from "../errors/engine-errors.js";
import { type ResolvedOptions, resolveOptions } from "../options.js";
import { SnapshotStore } from "../snapshot/snapshot-store.js";
import type { ReplicaEngine, RecoveryInfo, SharedLogRecovery } from "./durable-engine.js";
import { type OpenReplicaOptions, SNAPSHOT_DEFAULTS } from "./durable-options.js";
import { type LoadedSnapshot, loadNewestSnapshot } from "./load-snapshot.js";
import { ReplicaFollower } from "./replica-follower.js";
import { SnapshotSchedule } from "./snapshot-schedule.js";
import { encodeEvents, readMembers, type Stamped, stampEvents, stampRequest } from "./stamp-events.js";

/**
 * Opens a replica on a shared log: loads the newest snapshot of the data directory that was built from this log,
 * then applies the log's records from the snapshot's offset on, in the log's order, as they arrive — its own
 * appends included, which are applied only when read back. Resolves once reading has started; `replication()`
 * tells how far behind the replica is and `catchUp()` waits until it has read what the log held.
 */
export async function openReplica(options: OpenReplicaOptions): Promise<ReplicaEngine> {
  const started = performance.now();
  const {
    dataDir,
    log,
    snapshotEvery = SNAPSHOT_DEFAULTS.snapshotEvery,
    snapshotIntervalMs = SNAPSHOT_DEFAULTS.snapshotIntervalMs,
    snapshotsKept = SNAPSHOT_DEFAULTS.snapshotsKept,
    clock = Date.now,
    onSnapshot,
    readYourWrites = true,
    onReadError,
    ...engineOptions
  } = options;
  let opened: { loaded: LoadedSnapshot; end: number; resolved: ResolvedOptions; store: SnapshotStore };
  try {
    const resolved = resolveOptions(engineOptions);
    const store = new SnapshotStore(join(dataDir, "snapshots"));
    store.ensure();
    const loaded = loadNewestSnapshot(resolved, store, log.name);
    opened = { loaded, end: await log.end(), resolved, store };
  } catch (error) {
    // The engine owns the log it was given: one that cannot open must not keep its connections.
    await log.close();
    throw error;
  }
  const { loaded, end, resolved, store } = opened;
  const { engine } = loaded;
  const from = loaded.meta?.nextOffset ?? 0;
  const schedule = new SnapshotSchedule(engine, resolved, store, {
    snapshotEvery,
    snapshotIntervalMs,
    snapshotsKept,
    ...(onSnapshot === undefined ? {} : { onSnapshot }),
  });
  const follower = new ReplicaFollower(engine, log, schedule, from, end, (error, fatal) =>
    onReadError?.(error, fatal),
  );
  follower.start();
  let closed = false;

  const recovery: RecoveryInfo<SharedLogRecovery> = {
    snapshot: loaded.path,
    fallbacks: loaded.fallbacks,
    replayed: 0,
    refused: 0,
    log: { name: log.name, from, end },
    seconds: (performance.now() - started) / 1000,
  };

  const writable = () => {
    if (closed) throw new SibylEngineError("closed", "the engine is closed");
  };

  /** Like stampEvents, and refuses what is not a valid event: replicas skip such records when they read them. */
  const stampValid = (events: readonly SibylEvent[]): Stamped => {
    const valid: SibylEvent[] = [];
    const indexes: number[] = [];
    const rejected: Stamped["rejected"] = [];
    events.forEach((event, index) => {
      const result = validateEvent(event);
      if (result.ok) {
        valid.push(event);
        indexes.push(index);
      } else {
        const first = result.errors[0];
        rejected.push({
          index,
          error: new InvalidRequestError(first?.pointer ?? "", first?.message ?? "invalid"),
        });
      }
    });
    const stamped = stampEvents(engine, valid, clock());
    for (const { index, error } of stamped.rejected) rejected.push({ index: indexes[index]!, error });
    rejected.sort((a, b) => a.index - b.index);
    return { accepted: stamped.accepted, rejected };
  };

  const replica: ReplicaEngine = {
    ...readMembers(engine),
    dataDir,
    readOnly: false,
    recovery,
    get lastApplied() {
      return follower.lastApplied;
    },
    replication: () => follower.status(),

    async catchUp() {
      const target = await log.end();
      if (target > 0) await follower.waitApplied(target - 1);
    },

    async append(events) {
      writable();
      const { accepted, rejected } = stampValid(events);
      if (accepted.length === 0) return { accepted: 0, positions: [], rejected };
      const positions = await log.append(encodeEvents(accepted).map((payload) => ({ payload })));
      if (readYourWrites) await follower.waitApplied(positions.at(-1)!);
      return { accepted: accepted.length, positions, rejected };
    },

    async recommend(input) {
      writable();
      const request = stampRequest(input, clock());
      engine.check(request);
      // Answered here, on this replica's state, and logged with its answer: every replica (this one too, when it
      // reads it back) applies that answer, so attribution agrees everywhere and no other replica computes it.
      const answer = engine.preview(request);
      const [payload] = encodeEvents([request]);
      await log.append([{ payload: payload!, answer: Buffer.from(JSON.stringify(answer), "utf8") }]);
      return answer;
    },

    async snapshot() {
      writable();
      const status = follower.status();
      return schedule.write({ log: log.name, lastApplied: null, nextOffset: status.nextOffset });
    },

    async close() {
      if (closed) return;
      closed = true;
      await follower.stop(new SibylEngineError("closed", "the engine is closed"));
      await log.close();
    },
  };
  shareInternals(engine, replica);
  return replica;
}
