import type { FastifyInstance } from "fastify";
import { requireKey } from "../auth.js";
import { sendError } from "../error-reply.js";
import type { ServerContext } from "../server-context.js";
import { readyEngine } from "./ready-engine.js";

/** What the engine knows, for operators and the console (server key). */
export function inspectRoutes(app: FastifyInstance, context: ServerContext): void {
  app.get<{ Params: { id: string } }>("/v1/items/:id", async (request, reply) => {
    if (!requireKey(request, reply, context.keys, "server")) return reply;
    const engine = readyEngine(context, reply);
    if (!engine) return reply;
    return (
      engine.inspectItem(request.params.id) ??
      sendError(reply, 404, "unknown_item", `no item "${request.params.id}"`)
    );
  });
  app.get<{ Params: { id: string }; Querystring: { kind?: string } }>(
    "/v1/visitors/:id",
    async (request, reply) => {
      if (!requireKey(request, reply, context.keys, "server")) return reply;
      const engine = readyEngine(context, reply);
      if (!engine) return reply;
      const id =
        request.query.kind === "user" ? { user_id: request.params.id } : { visitor_id: request.params.id };
      return (
        engine.inspectVisitor(id) ??
        sendError(reply, 404, "unknown_visitor", `no visitor or user "${request.params.id}"`)
      );
    },
  );
  app.get("/v1/placements", async (request, reply) => {
    if (!requireKey(request, reply, context.keys, "server")) return reply;
    const engine = readyEngine(context, reply);
    return engine ? { placements: engine.placements() } : reply;
  });
  app.get("/v1/stats", async (request, reply) => {
    if (!requireKey(request, reply, context.keys, "server")) return reply;
    const engine = readyEngine(context, reply);
    return engine ? { ...engine.stats(), live: context.metrics.live.report() } : reply;
  });
}
