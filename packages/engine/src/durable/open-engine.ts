import { join } from "node:path";
import type { RecoRequest, RecoResponse, SibylEvent, SmartSearchRequest } from "@sibyl/events";
import { randomBytes } from "node:crypto";
import { type Engine, engineInternals, type RecommendInput, shareInternals } from "../engine.js";
import { SibylEngineError } from "../errors/engine-errors.js";
import { EventLog, type LogPosition, type RecoveryReport } from "../log/index.js";
import { resolveOptions } from "../options.js";
import { writeSnapshotFile } from "../snapshot/snapshot-file.js";
import { SnapshotStore } from "../snapshot/snapshot-store.js";
import type { OpenEngineOptions } from "./durable-options.js";
import { type ErasedKey, eraseFromLog } from "./erasure.js";
import { type Recovered, recover } from "./recover.js";
import { type SnapshotMeta, snapshotPosition } from "./snapshot-meta.js";
import { parseMoment } from "./until.js";

export interface AppendResult {
  /** Events made durable and applied. */
  accepted: number;
  /** Log position of each accepted event, in order. */
  positions: LogPosition[];
  /** Events refused before reaching the log (unknown placement …), by index in the input. */
  rejected: { index: number; error: SibylEngineError }[];
}

export interface SnapshotInfo {
  path: string;
  bytes: number;
  events: number;
  seconds: number;
}

export interface RecoveryInfo extends Omit<Recovered, "engine" | "lastApplied"> {
  log: RecoveryReport;
  seconds: number;
}

/** An engine whose every change is first made durable in its data directory. */
export interface DurableEngine extends Omit<Engine, "apply" | "applyBatch" | "recommend"> {
  readonly dataDir: string;
  readonly readOnly: boolean;
  readonly recovery: RecoveryInfo;
  /** The last log record the state includes. */
  readonly lastApplied: LogPosition | null;
  /**
   * Stamps event_time where missing, refuses events the engine cannot apply, makes the rest durable under the
   * configured mode and then applies them. Rejects with a LogWriteError — nothing acknowledged, nothing applied —
   * when the log cannot be written (a full disk); appends succeed again once it can.
   */
  append(events: readonly SibylEvent[]): Promise<AppendResult>;
  /** Logs a recommendation request (with its rec_id) like any event, then answers it. */
  recommend(request: RecommendInput): Promise<RecoResponse>;
  /** Writes a snapshot of the current state now. */
  snapshot(): Promise<SnapshotInfo>;
  /** Makes everything durable and closes the log; the engine can still be read. */
  close(): Promise<void>;
}

export class ReadOnlyEngineError extends SibylEngineError {
  constructor() {
    super("read_only", "this engine was opened to rebuild a past moment (until): it cannot take events");
  }
}

const DEFAULTS = { snapshotEvery: 1_000_000, snapshotIntervalMs: 10 * 60_000, snapshotsKept: 2 };

/**
 * Opens the durable engine of a data directory: recovers the newest valid snapshot plus the log after it (a torn
 * log tail is truncated and reported; corruption in the middle refuses to start unless `skipCorrupt`), or, with
 * `until`, rebuilds a past moment read-only.
 */
export async function openEngine(options: OpenEngineOptions): Promise<DurableEngine> {
  const started = performance.now();
  const {
    dataDir,
    durability = "always",
    intervalMs,
    segmentBytes,
    snapshotEvery = DEFAULTS.snapshotEvery,
    snapshotIntervalMs = DEFAULTS.snapshotIntervalMs,
    snapshotsKept = DEFAULTS.snapshotsKept,
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
  let sinceSnapshot = recovered.replayed;
  let lastSnapshotAt = performance.now();
  let closed = false;

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

  const takeSnapshot = (): SnapshotInfo => {
    const start = performance.now();
    const stats = engine.stats();
    const meta: SnapshotMeta = {
      format: 1,
      lastApplied,
      events: stats.totalEvents + stats.duplicates,
      eventTime: stats.now,
      options: resolved,
      writtenAt: new Date().toISOString(),
    };
    const path = store.pathFor(snapshotPosition(meta));
    const bytes = writeSnapshotFile(path, meta, (out) => internals.state.writeState(out));
    store.prune(snapshotsKept);
    sinceSnapshot = 0;
    lastSnapshotAt = performance.now();
    const info = { path, bytes, events: meta.events, seconds: (performance.now() - start) / 1000 };
    onSnapshot?.(info);
    return info;
  };

  const afterApply = async (erased: ErasedKey[]) => {
    if (erased.length > 0) {
      // The fresh snapshot covers the erasure; older snapshots and the log before it still name the erased.
      const snapshot = takeSnapshot();
      store.removeAllBut(snapshot.path);
      await eraseFromLog(log, erased, lastApplied!);
      return;
    }
    const due =
      (snapshotEvery > 0 && sinceSnapshot >= snapshotEvery) ||
      (snapshotIntervalMs > 0 &&
        sinceSnapshot > 0 &&
        performance.now() - lastSnapshotAt >= snapshotIntervalMs);
    if (!due) return;
    takeSnapshot();
    if (logRetention === "snapshots") {
      const oldest = store.list()[0];
      if (oldest) await log.deleteSegmentsBefore(oldest.position);
    }
  };

  const durableEngine: DurableEngine = {
    get options() {
      return engine.options;
    },
    dataDir,
    readOnly,
    recovery,
    get lastApplied() {
      return lastApplied;
    },
    check: (event) => engine.check(event),
    preview: (request, placement) => engine.preview(request, placement),
    stats: () => engine.stats(),
    inspectItem: (itemId) => engine.inspectItem(itemId),
    inspectVisitor: (id) => engine.inspectVisitor(id),
    placements: () => engine.placements(),
    stateHash: () => engine.stateHash(),

    async append(events) {
      writable();
      const now = clock();
      const accepted: SibylEvent[] = [];
      const rejected: AppendResult["rejected"] = [];
      events.forEach((event, index) => {
        const stamped = event.event_time === undefined ? { ...event, event_time: now } : event;
        try {
          engine.check(stamped);
          accepted.push(stamped);
        } catch (error) {
          if (!(error instanceof SibylEngineError)) throw error;
          rejected.push({ index, error });
        }
      });
      if (accepted.length === 0) return { accepted: 0, positions: [], rejected };
      const positions = await log.append(accepted.map((event) => Buffer.from(JSON.stringify(event), "utf8")));
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
      sinceSnapshot += accepted.length;
      await afterApply(erased);
      return { accepted: accepted.length, positions, rejected };
    },

    async recommend(input) {
      writable();
      const request: RecoRequest | SmartSearchRequest =
        "event_type" in input ? input : { ...input, event_type: "RecoRequest" };
      const stamped = {
        ...request,
        event_time: request.event_time ?? clock(),
        // A generated rec_id is logged with the request, so a replay answers with the same one.
        rec_id: request.rec_id ?? `r-${randomBytes(8).toString("hex")}`,
      };
      engine.check(stamped);
      const [position] = await log.append([Buffer.from(JSON.stringify(stamped), "utf8")]);
      const { outcome, result } = internals.applyEvent(stamped);
      lastApplied = position!;
      sinceSnapshot++;
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
