import type { DurableEngine, ReplicationStatus } from "@sibyl/engine";
import type { ServerConfig } from "../../config/server-config.js";

/** A replica whose last read of its log is older than this cannot tell how far behind it is: not ready. */
export const READ_STALE_MS = 10_000;

export type Readiness =
  | { ready: true; replication: ReplicationView | null }
  | {
      ready: false;
      status: "catching_up" | "log_unreachable" | "log_failed";
      message: string;
      replication: ReplicationView;
    };

/** The replication status as JSON shows it. */
export interface ReplicationView extends Omit<ReplicationStatus, "error" | "lastReadAt"> {
  lastReadAt: string | null;
  error: string | null;
}

/**
 * Whether an engine may answer: always on the file log; on a shared log only while it reads its log and is at
 * most `maxLag` records behind — a lagging replica would answer from an old state.
 */
export function readiness(
  engine: DurableEngine,
  config: Pick<ServerConfig, "maxLag">,
  now = Date.now(),
): Readiness {
  const status = engine.replication();
  if (status === null) return { ready: true, replication: null };
  const replication: ReplicationView = {
    ...status,
    lastReadAt: status.lastReadAt === null ? null : new Date(status.lastReadAt).toISOString(),
    error: status.error?.message ?? null,
  };
  if (status.error)
    return {
      ready: false,
      status: "log_failed",
      message: `reading ${status.log} stopped: ${status.error.message}`,
      replication,
    };
  if (status.lastReadAt === null)
    return {
      ready: false,
      status: "catching_up",
      message: `${status.log} has not been read yet`,
      replication,
    };
  if (now - status.lastReadAt > READ_STALE_MS) {
    return {
      ready: false,
      status: "log_unreachable",
      message: `${status.log} has not been read for ${READ_STALE_MS / 1000} s; retrying`,
      replication,
    };
  }
  if (status.lag > config.maxLag) {
    return {
      ready: false,
      status: "catching_up",
      message: `${status.lag} records behind ${status.log} (ready at ${config.maxLag} or fewer)`,
      replication,
    };
  }
  return { ready: true, replication };
}
