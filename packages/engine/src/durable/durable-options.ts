import type { LogFileSystem } from "../log/index.js";
import type { Durability } from "../log/log-writer.js";
import type { LogPosition } from "../log/log-position.js";
import type { EngineOptions } from "../options.js";
import type { SharedLog } from "./shared-log.js";

/** Snapshot policy defaults, the same on every log. */
export const SNAPSHOT_DEFAULTS = {
  snapshotEvery: 1_000_000,
  snapshotIntervalMs: 10 * 60_000,
  snapshotsKept: 2,
};

export interface OpenEngineOptions extends EngineOptions {
  /** The data directory: `log/` holds the event log, `snapshots/` the snapshots. Created when missing. */
  dataDir: string;
  /**
   * When an append is acknowledged. `always` (default): after fsync — concurrent appends share one fsync (group
   * commit); nothing acknowledged is lost even on power failure. `interval`: after the write, fsync every
   * `intervalMs` — a process crash loses nothing acknowledged, a power failure or OS crash may lose what was
   * acknowledged in the last `intervalMs`. `none`: never fsync (tests, benchmarks) — only a process crash is
   * survived, as far as the OS keeps its page cache.
   */
  durability?: Durability;
  /** fsync period for `durability: "interval"`. Default 100 ms. */
  intervalMs?: number;
  /** Size at which the log starts a new segment file. Default 64 MiB. */
  segmentBytes?: number;
  /** Write a snapshot after this many applied events (0: never automatically). Default 1,000,000. */
  snapshotEvery?: number;
  /** Write a snapshot when this much wall-clock time has passed since the last one and events arrived (0: never). Default 10 min. */
  snapshotIntervalMs?: number;
  /** Snapshots kept; older ones are deleted after each new one. Default 2. */
  snapshotsKept?: number;
  /**
   * `all` (default) keeps every log segment, so any past moment can be rebuilt; `snapshots` deletes the segments
   * that lie wholly before the oldest kept snapshot.
   */
  logRetention?: "all" | "snapshots";
  /** Start despite corruption in the middle of the log, skipping (and reporting) the damaged ranges. */
  skipCorrupt?: boolean;
  /**
   * Rebuild the state as of a moment instead of the latest (read-only): an event time (ms since the epoch, a
   * Date, or an ISO 8601 string: events with event_time at or before it) or a log position ({ segment, offset }
   * or "segment:offset": the records before it).
   */
  until?: number | Date | string | LogPosition;
  /** Stamps event_time on events that arrive without one. Default Date.now. */
  clock?: () => number;
  /** Called after every snapshot, automatic or not (metrics, logs). */
  onSnapshot?: (info: { path: string; bytes: number; events: number; seconds: number }) => void;
  /**
   * Hears what fails behind an answer, where no caller can be told: writing the log record of a recommendation
   * request that was already answered (the record is kept and retried before anything logged after it), or a
   * snapshot that such a request made due. Default: a process warning on stderr.
   */
  onBackgroundError?: (error: Error) => void;
  /** The file system under the log (fault injection in tests). */
  fs?: LogFileSystem;
}

/** A replica on a shared log (a Kafka topic partition): the data directory holds only its snapshots. */
export interface OpenReplicaOptions
  extends EngineOptions,
    Pick<
      OpenEngineOptions,
      "dataDir" | "snapshotEvery" | "snapshotIntervalMs" | "snapshotsKept" | "clock" | "onSnapshot"
    > {
  /** The shared log; the engine applies what it reads back from it, in its order. Closed with the engine. */
  log: SharedLog;
  /**
   * Whether `append` and `recommend` resolve only once this replica has applied what they logged, so a client
   * reads its own writes from the replica it wrote to (default true). With false, `append` resolves when the log
   * has acknowledged; `recommend` always waits, since its answer is the one applied in the log's order.
   */
  readYourWrites?: boolean;
  /** Called when reading the shared log fails and is retried, or stops (monitoring, logs). */
  onReadError?: (error: Error, fatal: boolean) => void;
}
