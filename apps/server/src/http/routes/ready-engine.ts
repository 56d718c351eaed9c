import type { DurableEngine } from "@sibyl/engine";
import type { FastifyReply } from "fastify";
import { sendError } from "../error-reply.js";
import type { ServerContext } from "../server-context.js";
import { readiness } from "./replica-readiness.js";

/**
 * The engine, or a 503 with Retry-After while the data directory is still being recovered — or while a replica
 * is too far behind its shared log (or cannot read it) to answer from a current state.
 */
export function readyEngine(context: ServerContext, reply: FastifyReply): DurableEngine | undefined {
  const engine = context.engine;
  if (!engine) {
    sendError(reply, 503, "recovering", "the server is recovering its data directory; retry shortly", {
      retryAfterSeconds: 1,
    });
    return undefined;
  }
  const state = readiness(engine, context.config);
  if (state.ready) return engine;
  sendError(reply, 503, state.status, `${state.message}; retry shortly`, { retryAfterSeconds: 1 });
  return undefined;
}
