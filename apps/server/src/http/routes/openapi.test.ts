import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../config/server-config.js";
import { type RunningServer, startServer } from "../../server/start-server.js";
import { OPENAPI_PATH } from "../openapi/document.js";

const addFormats = addFormatsModule.default;
const TRACKING_KEY = "pk_openapi_test_tracking_0001";
const SERVER_KEY = "sk_openapi_test_server_00000001";
const EXAMPLES_DIR = fileURLToPath(new URL("../../../../../schemas/examples", import.meta.url));
const DOCUMENT_URI = "https://sibyl.test/openapi.json";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

type Json = Record<string, unknown>;

let server: RunningServer;
let dataDir: string;
let document: Json;
let ajv: Ajv;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sibyl-openapi-"));
  server = await startServer({
    ...DEFAULT_CONFIG,
    dataDir,
    port: 0,
    trackingKeys: [TRACKING_KEY],
    serverKeys: [SERVER_KEY],
    logLevel: "silent",
  });
  await server.ready;
  const response = await fetch(`${server.url}${OPENAPI_PATH}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  document = (await response.json()) as Json;
  // The document's schemas are draft-07 (jsonSchemaDialect): ajv's default class validates that draft.
  ajv = new Ajv({ strict: false, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, DOCUMENT_URI);
});

afterAll(async () => {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The validator of the schema at a JSON pointer of the document. */
function schemaAt(...path: string[]): ValidateFunction {
  const pointer = path.map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
  expect(resolvePointer(document, `/${pointer}`), `#/${pointer}`).toBeDefined();
  return ajv.compile({ $ref: `${DOCUMENT_URI}#/${pointer}` });
}

function resolvePointer(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split("/").slice(1)) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

/** Every value of `key` in the document, with where it is. */
function collect(node: unknown, key: string, at = ""): { at: string; value: unknown }[] {
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([name, child]) => [
    ...(name === key ? [{ at, value: child }] : []),
    ...collect(child, key, `${at}/${name}`),
  ]);
}

/** The routes fastify has, from printRoutes' tree (a nested line continues its parent's path). */
function registeredRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const match = /^([│ ]*)[├└]── (.+) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const segment = match[2]!;
    const path =
      depth === 0 ? (segment.startsWith("/") ? segment : `/${segment}`) : prefixes[depth - 1]! + segment;
    prefixes[depth] = path;
    for (const method of match[3]!.split(", ")) routes.push(`${method} ${path}`);
  }
  return routes;
}

function operations(): { method: string; path: string; operation: Json }[] {
  return Object.entries(document.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ method, path, operation: operation as Json })),
  );
}

function loadVectors(kind: "valid" | "invalid"): { eventType: string; name: string; event: unknown }[] {
  return readdirSync(EXAMPLES_DIR)
    .sort()
    .flatMap((eventType) => {
      const dir = join(EXAMPLES_DIR, eventType, kind);
      if (!existsSync(dir)) return [];
      return readdirSync(dir)
        .filter((file) => file.endsWith(".json") && !file.endsWith(".expected.json"))
        .sort()
        .map((name) => ({ eventType, name, event: JSON.parse(readFileSync(join(dir, name), "utf8")) }));
    });
}

async function call(method: string, path: string, options: { key?: string; body?: unknown } = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  const type = response.headers.get("content-type") ?? "";
  return { status: response.status, body: type.startsWith("application/json") ? JSON.parse(text) : text };
}

describe("GET /v1/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.jsonSchemaDialect).toBe("http://json-schema.org/draft-07/schema#");
  });

  it("needs no key", async () => {
    const { status } = await call("GET", OPENAPI_PATH);
    expect(status).toBe(200);
  });

  it("has every $ref resolve inside the document, and no $id or $schema to rebase them", () => {
    const refs = collect(document, "$ref");
    expect(refs.length).toBeGreaterThan(100);
    for (const { at, value } of refs) {
      expect(typeof value, at).toBe("string");
      expect(value as string, at).toMatch(/^#\//);
      expect(resolvePointer(document, (value as string).slice(1)), `${at}: ${value}`).toBeDefined();
    }
    const schemas = document.components as { schemas: Json };
    expect(collect(schemas, "$id")).toEqual([]);
    expect(collect(schemas, "$schema")).toEqual([]);
  });

  it("puts every schema file into components.schemas once, as valid draft-07", async () => {
    const { schemaFiles } = await import("@sibyl/events");
    const components = (document.components as { schemas: Record<string, Json> }).schemas;
    const fromFiles = Object.values(components).map((schema) => schema["x-sibyl-schema"]);
    expect(fromFiles.filter((path) => path !== undefined).sort()).toEqual(Object.keys(schemaFiles).sort());
    expect(components.AddToCart!["x-sibyl-schema"]).toBe("events/AddToCart.schema.json");
    // A relative reference became a reference to the component.
    expect(JSON.stringify(components.RecoRequest)).toContain(
      '"$ref":"#/components/schemas/Identifiers/definitions/EventId"',
    );
    const strict = new Ajv({ strict: true, allowUnionTypes: true });
    addFormats(strict);
    strict.addKeyword({ keyword: "x-sibyl", metaSchema: { type: "object" } });
    strict.addKeyword({ keyword: "x-sibyl-schema", metaSchema: { type: "string" } });
    for (const [name, schema] of Object.entries(components)) {
      if (schema["x-sibyl-schema"] === undefined) continue;
      expect(strict.validateSchema(schema), name).toBe(true);
    }
  });

  it("describes exactly the routes the server has", () => {
    const registered = registeredRoutes(server.app);
    for (const route of registered) {
      const [method, url] = route.split(" ") as [string, string];
      expect(server.app.hasRoute({ method, url }), route).toBe(true);
    }
    const served = registered
      // HEAD answers every GET (fastify's exposeHeadRoutes); OPTIONS /* is the CORS preflight.
      .filter((route) => !route.startsWith("HEAD ") && route !== "OPTIONS /*")
      // A trailing wildcard (the console's files) is the document's {path} parameter.
      .map((route) => route.replace(/:([A-Za-z0-9_]+)/g, "{$1}").replace(/\/\*$/, "/{path}"))
      .sort();
    const described = operations()
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`)
      .sort();
    expect(described).toEqual(served);
    expect(described).toContain("GET /v1/openapi.json");
    expect(new Set(operations().map(({ operation }) => operation.operationId)).size).toBe(described.length);
  });

  it("gives every response a description and every 503 a Retry-After", () => {
    const responses = (document.components as { responses: Record<string, Json> }).responses;
    for (const { method, path, operation } of operations()) {
      const codes = Object.entries(operation.responses as Record<string, Json>);
      expect(
        codes.some(([code]) => code === "200"),
        `${method} ${path}`,
      ).toBe(true);
      for (const [code, value] of codes) {
        const response =
          typeof value.$ref === "string" ? responses[value.$ref.split("/").pop()!]! : (value as Json);
        expect(response.description, `${method} ${path} ${code}`).toMatch(/\w/);
        if (code === "503") expect(response.headers, `${method} ${path} 503`).toHaveProperty("Retry-After");
      }
    }
  });

  it("declares the three ways to present a key, and which endpoints need a server key", async () => {
    const schemes = (document.components as { securitySchemes: Record<string, Json> }).securitySchemes;
    expect(schemes.bearerKey).toMatchObject({ type: "http", scheme: "bearer" });
    expect(schemes.headerKey).toMatchObject({ type: "apiKey", in: "header", name: "X-Sibyl-Key" });
    expect(schemes.queryKey).toMatchObject({ type: "apiKey", in: "query", name: "key" });
    const byKey = (kind: string) =>
      operations()
        .filter(({ operation }) => operation["x-sibyl-key"] === kind)
        .map(({ method, path }) => `${method.toUpperCase()} ${path}`)
        .sort();
    expect(byKey("server")).toEqual([
      "GET /v1/items/{id}",
      "GET /v1/placements",
      "GET /v1/stats",
      "GET /v1/visitors/{id}",
      "POST /v1/placements/preview",
    ]);
    expect(byKey("tracking")).toEqual(["POST /v1/events", "POST /v1/recommend"]);
    for (const { method, path, operation } of operations()) {
      const kind = operation["x-sibyl-key"];
      const security = operation.security as Record<string, string[]>[];
      expect(["none", "tracking", "server"], `${method} ${path}`).toContain(kind);
      if (kind === "none") expect(security).toEqual([]);
      if (kind === "tracking")
        expect(security).toEqual([{ bearerKey: [] }, { headerKey: [] }, { queryKey: [] }]);
      if (kind === "server") expect(security).toEqual([{ bearerKey: ["server"] }, { headerKey: ["server"] }]);
      // What the document says is what the server does.
      const url = path.replace("{id}", "sku-1").replace("{eventType}", "AddToCart");
      const body = method === "post" ? {} : undefined;
      const anonymous = await call(method.toUpperCase(), url, { body });
      if (kind === "none") expect(anonymous.status, `${method} ${path}`).not.toBe(401);
      else expect(anonymous.status, `${method} ${path}`).toBe(401);
      if (kind === "server") {
        const tracking = await call(method.toUpperCase(), url, { key: TRACKING_KEY });
        expect(tracking.status, `${method} ${path}`).toBe(403);
        expect(Object.keys(operation.responses as Json)).toEqual(expect.arrayContaining(["401", "403"]));
      }
    }
  });
});

describe("POST /v1/events in the document", () => {
  const requestSchema = () =>
    schemaAt("paths", "/v1/events", "post", "requestBody", "content", "application/json", "schema");

  it("takes application/json, NDJSON and text/plain bodies", () => {
    const content = resolvePointer(document, "/paths/~1v1~1events/post/requestBody/content") as Json;
    expect(Object.keys(content).sort()).toEqual(
      ["application/json", "application/ndjson", "application/x-ndjson", "text/plain"].sort(),
    );
  });

  it("accepts every valid event vector, alone and as a batch", () => {
    const validate = requestSchema();
    const vectors = loadVectors("valid");
    expect(vectors.length).toBeGreaterThan(30);
    for (const { eventType, name, event } of vectors) {
      expect(validate(event), `${eventType}/${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
    expect(validate(vectors.map(({ event }) => event))).toBe(true);
  });

  it("refuses the invalid event vectors", () => {
    const validate = requestSchema();
    for (const { eventType, name, event } of loadVectors("invalid")) {
      expect(validate(event), `${eventType}/${name}`).toBe(false);
    }
  });

  it("is the oneOf of every event type's component, discriminated by event_type", async () => {
    const { eventRegistry } = await import("@sibyl/events");
    const union = (document.components as { schemas: Record<string, Json> }).schemas.SibylEvent!;
    const eventTypes = Object.keys(eventRegistry).sort();
    expect((union.oneOf as Json[]).length).toBe(eventTypes.length);
    expect(union.discriminator).toMatchObject({ propertyName: "event_type" });
    const mapping = (union.discriminator as { mapping: Record<string, string> }).mapping;
    expect(Object.keys(mapping).sort()).toEqual(eventTypes);
    for (const [eventType, ref] of Object.entries(mapping)) {
      const target = resolvePointer(document, ref.slice(1)) as Json;
      expect((target.properties as Json).event_type, eventType).toEqual(
        expect.objectContaining({ const: eventType }),
      );
    }
  });

  it("describes the server's answers", async () => {
    const [vector] = loadVectors("valid").filter(({ eventType }) => eventType === "AddToCart");
    const accepted = await call("POST", "/v1/events", { key: TRACKING_KEY, body: vector!.event });
    expect(accepted.status).toBe(200);
    expect(
      schemaAt(
        "paths",
        "/v1/events",
        "post",
        "responses",
        "200",
        "content",
        "application/json",
        "schema",
      )(accepted.body),
    ).toBe(true);
    const forbidden = await call("POST", "/v1/events", {
      key: TRACKING_KEY,
      body: { event_type: "ItemRemove", item_id: "sku-1" },
    });
    expect(forbidden.status).toBe(403);
    expect(
      schemaAt(
        "paths",
        "/v1/events",
        "post",
        "responses",
        "403",
        "content",
        "application/json",
        "schema",
      )(forbidden.body),
    ).toBe(true);
    const invalid = await call("POST", "/v1/events", { key: TRACKING_KEY, body: { event_type: "Nope" } });
    expect(invalid.status).toBe(400);
    expect(
      schemaAt(
        "paths",
        "/v1/events",
        "post",
        "responses",
        "400",
        "content",
        "application/json",
        "schema",
      )(invalid.body),
    ).toBe(true);
    const empty = await fetch(`${server.url}/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${TRACKING_KEY}`, "content-type": "application/x-ndjson" },
      body: "\n",
    });
    expect(empty.status).toBe(400);
    expect(
      schemaAt(
        "paths",
        "/v1/events",
        "post",
        "responses",
        "400",
        "content",
        "application/json",
        "schema",
      )(await empty.json()),
    ).toBe(true);
  });
});

describe("the other endpoints in the document", () => {
  const responseSchema = (path: string, method: string, status: string) =>
    schemaAt("paths", path, method, "responses", status, "content", "application/json", "schema");
  const errorSchema = () => schemaAt("components", "schemas", "ErrorBody");

  it("POST /v1/recommend takes every valid RecoRequest and SmartSearchRequest vector", async () => {
    const validate = schemaAt(
      "paths",
      "/v1/recommend",
      "post",
      "requestBody",
      "content",
      "application/json",
      "schema",
    );
    const vectors = loadVectors("valid").filter(({ eventType }) =>
      ["RecoRequest", "SmartSearchRequest"].includes(eventType),
    );
    expect(vectors.length).toBeGreaterThan(2);
    for (const { name, event } of vectors) expect(validate(event), name).toBe(true);
    const response = await call("POST", "/v1/recommend", {
      key: TRACKING_KEY,
      body: { user_info: { visitor_id: "v-1" }, placement: "home" },
    });
    if (response.status === 200)
      expect(responseSchema("/v1/recommend", "post", "200")(response.body)).toBe(true);
    else expect(errorSchema()(response.body)).toBe(true);
    const unknown = await call("POST", "/v1/recommend", {
      key: TRACKING_KEY,
      body: { user_info: { visitor_id: "v-1" }, placement: "no-such-placement" },
    });
    expect(unknown.status).toBe(404);
    expect(responseSchema("/v1/recommend", "post", "404")(unknown.body)).toBe(true);
  });

  it("the inspection, schema and health answers match their schemas", async () => {
    const [minimal] = loadVectors("valid").filter(
      ({ eventType, name }) => eventType === "AddToCart" && name === "minimal.json",
    );
    expect((await call("POST", "/v1/events", { key: TRACKING_KEY, body: minimal!.event })).status).toBe(200);
    const checks: [string, string, number][] = [
      ["/v1/stats", "/v1/stats", 200],
      ["/v1/placements", "/v1/placements", 200],
      ["/v1/items/{id}", "/v1/items/sku-10482", 200],
      ["/v1/items/{id}", "/v1/items/no-such-item", 404],
      ["/v1/visitors/{id}", "/v1/visitors/v-7f3a2c91", 200],
      ["/v1/visitors/{id}", "/v1/visitors/u-204817?kind=user", 200],
      ["/v1/visitors/{id}", "/v1/visitors/nobody", 404],
      ["/v1/schemas", "/v1/schemas", 200],
      ["/v1/schemas/{eventType}", "/v1/schemas/AddToCart", 200],
      ["/v1/schemas/{eventType}", "/v1/schemas/Nope", 404],
      ["/healthz", "/healthz", 200],
      ["/readyz", "/readyz", 200],
    ];
    for (const [path, url, status] of checks) {
      const response = await call("GET", url, { key: SERVER_KEY });
      expect(response.status, url).toBe(status);
      const validate = responseSchema(path, "get", String(status));
      expect(validate(response.body), `${url}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
    const metrics = await call("GET", "/metrics");
    expect(metrics.status).toBe(200);
    expect(resolvePointer(document, "/paths/~1metrics/get/responses/200/content/text~1plain")).toBeDefined();
  });
});
