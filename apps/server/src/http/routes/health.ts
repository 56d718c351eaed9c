import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../server-context.js";
import { readiness } from "./replica-readiness.js";

/**
 * `/healthz`: the process answers. `/readyz`: recovery has finished and events are taken — and, for a replica on
 * a shared log, it reads its log and is at most maxLag records behind.
 */
export function healthRoutes(app: FastifyInstance, context: ServerContext): void {
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    if (!context.engine) return reply.code(503).header("retry-after", "1").send({ status: "recovering" });
    const state = readiness(context.engine, context.config);
    if (!state.ready) {
      return reply
        .code(503)
        .header("retry-after", "1")
        .send({ status: state.status, message: state.message, replication: state.replication });
    }
    return {
      status: "ready",
      recovery: context.engine.recovery,
      ...(state.replication === null ? {} : { replication: state.replication }),
    };
  });
}
