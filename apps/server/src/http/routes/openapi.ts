import { readFileSync } from "node:fs";
import { eventRegistry, schemaFiles } from "@sibyl/events";
import type { FastifyInstance } from "fastify";
import { buildOpenApiDocument, OPENAPI_PATH } from "../openapi/document.js";

/**
 * GET /v1/openapi.json: the OpenAPI 3.1 description of the HTTP API, no key needed. Built once, when the route is
 * registered, from the schema files and the event registry. Status: 200; 503 overloaded.
 */
export function openapiRoutes(app: FastifyInstance): void {
  const body = JSON.stringify(openApiDocument());
  app.get(OPENAPI_PATH, async (_request, reply) => reply.type("application/json; charset=utf-8").send(body));
}

/** The document this server serves. */
export function openApiDocument(): Record<string, unknown> {
  return buildOpenApiDocument({
    version: serverVersion(),
    schemaFiles,
    eventTypes: Object.values(eventRegistry),
  });
}

/** The version of @sibyl/server (src/ and dist/ are at the same depth below package.json). */
function serverVersion(): string {
  const packageJson = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    version?: unknown;
  };
  return typeof packageJson.version === "string" ? packageJson.version : "0.0.0";
}
