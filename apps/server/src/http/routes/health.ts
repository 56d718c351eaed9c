import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../server-context.js";

/** `/healthz`: the process answers. `/readyz`: recovery has finished and events are taken. */
export function healthRoutes(app: FastifyInstance, context: ServerContext): void {
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    if (!context.engine) return reply.code(503).header("retry-after", "1").send({ status: "recovering" });
    return { status: "ready", recovery: context.engine.recovery };
  });
}
