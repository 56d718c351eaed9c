import { eventRegistry, schemaFiles } from "@sibyl/events";
import type { FastifyInstance } from "fastify";
import { sendError } from "../error-reply.js";

/** The JSON Schemas, for SDKs, forms and API tools: no key needed, they describe only the public API. */
export function schemaRoutes(app: FastifyInstance): void {
  app.get("/v1/schemas", async () => ({
    event_types: Object.values(eventRegistry).map(
      ({ eventType, group, tracking, description, schemaPath }) => ({
        event_type: eventType,
        group,
        tracking,
        description,
        schema: schemaPath,
      }),
    ),
    schemas: schemaFiles,
  }));
  app.get<{ Params: { eventType: string } }>("/v1/schemas/:eventType", async (request, reply) => {
    const definition = Object.hasOwn(eventRegistry, request.params.eventType)
      ? eventRegistry[request.params.eventType as keyof typeof eventRegistry]
      : undefined;
    if (!definition)
      return sendError(
        reply,
        404,
        "unknown_event_type",
        `"${request.params.eventType}" is not a Sibyl event type`,
      );
    return definition.schema;
  });
}
