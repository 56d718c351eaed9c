import type { RecoResponse, SibylEvent } from "@sibyl/events";
import type { Engine, RecommendInput } from "../engine.js";
import { SibylEngineError } from "../errors/engine-errors.js";
import type { LogPosition, RecoveryReport } from "../log/index.js";
import type { SnapshotFallback } from "./load-snapshot.js";
import type { SnapshotInfo } from "./snapshot-schedule.js";

export interface AppendResult<P = LogPosition> {
  /** Events made durable and applied. */
  accepted: number;
  /** Position of each accepted event in the log, in order: a file position, or an offset in a shared log. */
  positions: P[];
  /** Events refused before reaching the log (unknown placement …), by index in the input. */
  rejected: { index: number; error: SibylEngineError }[];
}

export interface RecoveryInfo<R = RecoveryReport> {
  /** The snapshot the state started from, or null. */
  snapshot: string | null;
  /** Newer snapshots that could not be used, and why. */
  fallbacks: SnapshotFallback[];
  /** Log records applied after the snapshot while opening. */
  replayed: number;
  /** Replayed events the engine refused (the same ones it refused when they were first applied). */
  refused: number;
  /** What opening the log found. */
  log: R;
  seconds: number;
}

/** What opening a shared log found. */
export interface SharedLogRecovery {
  /** The shared log's name. */
  name: string;
  /** The offset reading resumed at: the snapshot's, or 0. */
  from: number;
  /** The log's end when the engine opened: the replica is caught up once it has applied up to here. */
  end: number;
}

/** How far a replica on a shared log has read. */
export interface ReplicationStatus {
  log: string;
  /** The offset of the next record this replica applies: everything before it is in its state. */
  nextOffset: number;
  /** The log's end as this replica last saw it. */
  end: number;
  /** Records in the log this replica has not applied yet (end − nextOffset). */
  lag: number;
  /** Records applied since the engine opened. */
  applied: number;
  /** Records skipped because they are not Sibyl events (another producer's data, a redacted record). */
  skipped: number;
  /**
   * Wall-clock time (ms since the epoch) of the last read that reached the log, even an empty one; null before
   * the first. A replica that cannot reach its log keeps its last `end`, so its lag alone would look fine.
   */
  lastReadAt: number | null;
  /** Why reading stopped — after which nothing more is applied — or null while it runs. */
  error: Error | null;
}

/**
 * An engine whose every change is first made durable in a log: the data directory's own file log (a FileEngine)
 * or a shared log (a ReplicaEngine). Code that serves either names this type with its defaults.
 */
export interface DurableEngine<P = LogPosition | number, R = RecoveryReport | SharedLogRecovery>
  extends Omit<Engine, "apply" | "applyBatch" | "recommend"> {
  readonly dataDir: string;
  readonly readOnly: boolean;
  readonly recovery: RecoveryInfo<R>;
  /** The last log record the state includes. */
  readonly lastApplied: P | null;
  /** How far a replica has read its shared log; null on the file log. */
  replication(): ReplicationStatus | null;
  /**
   * Resolves once the state includes every record that was in the log when it was called (at once on the
   * file log, whose appends apply before they resolve).
   */
  catchUp(): Promise<void>;
  /**
   * Stamps event_time where missing, refuses events the engine cannot apply, makes the rest durable and then
   * applies them. Rejects — nothing acknowledged — when the log cannot be written (a full disk: LogWriteError;
   * an unreachable Kafka cluster: a SharedLogError); appends succeed again once it can.
   */
  append(events: readonly SibylEvent[]): Promise<AppendResult<P>>;
  /** Logs a recommendation request (with its rec_id) like any event, then answers it. */
  recommend(request: RecommendInput): Promise<RecoResponse>;
  /** Writes a snapshot of the current state now. */
  snapshot(): Promise<SnapshotInfo>;
  /** Makes everything durable and closes the log; the engine can still be read. */
  close(): Promise<void>;
}

/** A durable engine on the data directory's own file log: positions are segment:offset. */
export type FileEngine = DurableEngine<LogPosition, RecoveryReport>;

/** A durable engine on a shared log: positions are offsets in it. */
export type ReplicaEngine = DurableEngine<number, SharedLogRecovery>;

export class ReadOnlyEngineError extends SibylEngineError {
  constructor() {
    super("read_only", "this engine was opened to rebuild a past moment (until): it cannot take events");
  }
}

/** A shared log could not be appended to or read; `log` names it. */
export class SharedLogError extends SibylEngineError {
  constructor(
    code: string,
    readonly log: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, `${log}: ${message}`);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
