import type { DurableEngine } from "@sibyl/engine";
import type { FastifyInstance } from "fastify";
import type { ServerConfig } from "../config/server-config.js";
import { buildServer } from "../http/build-server.js";
import { ServerMetrics } from "../http/metrics.js";
import { ReplicationMetrics } from "../http/replication-metrics.js";
import type { ServerContext } from "../http/server-context.js";
import { developmentKeys, KeyRing } from "../keys/keys.js";
import { openServedEngine } from "./open-served-engine.js";

export interface RunningServer {
  app: FastifyInstance;
  context: ServerContext;
  /** Base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  /** Resolves when recovery has finished and events are taken. */
  ready: Promise<void>;
  /** Drains requests in flight, makes the log durable, writes a snapshot and closes. */
  stop(): Promise<void>;
}

/**
 * Starts the server: listens at once (so /healthz answers and /readyz says "recovering"), then recovers the data
 * directory and begins taking events.
 */
export async function startServer(
  config: ServerConfig,
  announce: (line: string) => void = () => {},
): Promise<RunningServer> {
  let { trackingKeys, serverKeys } = config;
  if (trackingKeys.length === 0 && serverKeys.length === 0) {
    const keys = developmentKeys(config.dataDir);
    trackingKeys = [keys.trackingKey];
    serverKeys = [keys.serverKey];
    announce(
      keys.created
        ? `development keys created (shown once; kept in ${keys.path}):\n  tracking key: ${keys.trackingKey}\n  server key:   ${keys.serverKey}`
        : `development keys: see ${keys.path}`,
    );
  }
  const context: ServerContext = {
    config,
    keys: new KeyRing(trackingKeys, serverKeys),
    metrics: new ServerMetrics(() => context.engine),
    engine: undefined,
  };
  const replication = new ReplicationMetrics(context.metrics.registry, () => context.engine);
  const app = await buildServer(context);
  const address = await app.listen({ host: config.host, port: config.port });
  const url = address.replace("[::1]", "localhost");
  const ready = (async () => {
    const engine = await openServedEngine(config, context.metrics, replication, announce);
    context.metrics.recoveryReplayed.set(engine.recovery.replayed);
    context.engine = engine;
    announce(recoveredLine(config, engine));
  })();
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await app.close();
      await ready.catch(() => {});
      const engine = context.engine;
      if (engine) {
        await engine.snapshot();
        await engine.close();
      }
    })());
  return { app, context, url, ready, stop };
}

function recoveredLine(config: ServerConfig, engine: DurableEngine): string {
  const { recovery } = engine;
  const from = recovery.snapshot ? "snapshot + " : "";
  if ("name" in recovery.log) {
    const { name, from: offset, end } = recovery.log;
    return `started: ${from}reading ${name} from offset ${offset} of ${end} (ready once at most ${config.maxLag} records behind)`;
  }
  const torn = recovery.log.truncated;
  return (
    `ready: recovered ${config.dataDir} in ${recovery.seconds.toFixed(2)} s (${from}${recovery.replayed} events replayed)` +
    (torn ? `; dropped a torn log tail of ${torn.bytes} bytes` : "")
  );
}
