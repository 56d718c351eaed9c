import { type LogFileSystem, nodeFileSystem, openEngine } from "@sibyl/engine";
import type { FastifyInstance } from "fastify";
import type { ServerConfig } from "../config/server-config.js";
import { buildServer } from "../http/build-server.js";
import { ServerMetrics } from "../http/metrics.js";
import type { ServerContext } from "../http/server-context.js";
import { developmentKeys, KeyRing } from "../keys/keys.js";

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
  const app = await buildServer(context);
  const address = await app.listen({ host: config.host, port: config.port });
  const url = address.replace("[::1]", "localhost");
  const ready = (async () => {
    const engine = await openEngine({
      dataDir: config.dataDir,
      durability: config.durability,
      snapshotEvery: config.snapshotEvery,
      snapshotIntervalMs: config.snapshotIntervalMs,
      skipCorrupt: config.skipCorrupt,
      fs: timedFsync(context.metrics),
      onSnapshot: ({ seconds, bytes }) => {
        context.metrics.snapshotSeconds.observe(seconds);
        context.metrics.snapshotBytes.set(bytes);
      },
    });
    context.metrics.recoveryReplayed.set(engine.recovery.replayed);
    context.engine = engine;
    const { recovery } = engine;
    announce(
      `ready: recovered ${config.dataDir} in ${recovery.seconds.toFixed(2)} s (${recovery.snapshot ? "snapshot + " : ""}${recovery.replayed} events replayed)` +
        (recovery.log.truncated ? `; dropped a torn log tail of ${recovery.log.truncated.bytes} bytes` : ""),
    );
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

/** The log's file system, with every fsync timed into sibyl_log_fsync_seconds. */
function timedFsync(metrics: ServerMetrics): LogFileSystem {
  return {
    ...nodeFileSystem,
    async fsync(fd) {
      const started = performance.now();
      try {
        await nodeFileSystem.fsync(fd);
      } finally {
        metrics.fsyncSeconds.observe((performance.now() - started) / 1000);
      }
    },
  };
}
