import type { DurableEngine } from "@sibyl/engine";
import type { ServerConfig } from "../config/server-config.js";
import type { KeyRing } from "../keys/keys.js";
import type { ServerMetrics } from "./metrics.js";

/** What every route reads: the engine (once recovery has finished), the keys, the limits, the metrics. */
export interface ServerContext {
  config: ServerConfig;
  keys: KeyRing;
  metrics: ServerMetrics;
  /** Undefined while the data directory is being recovered. */
  engine: DurableEngine | undefined;
}
