// Shared by the HTTP test suites (not a test itself): a real server on a real port, requests over fetch, and
// checks of every response body against the shapes the API schemas document.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type EventType, eventRegistry, type SibylEvent } from "@sibyl/events";
import { DEFAULT_CONFIG, type ServerConfig } from "../config/server-config.js";
import { type RunningServer, startServer } from "../server/start-server.js";

export const TRACKING_KEY = "pk_test_tracking_key_0001";
export const SERVER_KEY = "sk_test_server_key_000000001";
export const INVALID_KEY = "xk_not_a_key_of_this_server";

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), "sibyl-http-"));
}

/** Starts a server on 127.0.0.1, a free port, a fresh (or the given) data directory, and waits until it is ready. */
export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<RunningServer> {
  const server = await startServer({
    ...DEFAULT_CONFIG,
    dataDir: freshDataDir(),
    host: "127.0.0.1",
    port: 0,
    durability: "always",
    trackingKeys: [TRACKING_KEY],
    serverKeys: [SERVER_KEY],
    // Silent; SIBYL_TEST_LOG_LEVEL=error shows the stack of any 500 while debugging.
    logLevel: (process.env.SIBYL_TEST_LOG_LEVEL as ServerConfig["logLevel"] | undefined) ?? "silent",
    ...overrides,
  });
  await server.ready;
  return server;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface SendOptions {
  method?: string;
  /** The key, sent as `Authorization: Bearer`; none when undefined. */
  key?: string;
  contentType?: string;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

export async function send(url: string, options: SendOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  if (options.contentType !== undefined) headers["content-type"] = options.contentType;
  const response = await fetch(url, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** POST /v1/events with NDJSON lines (each a string, or a value to serialise). */
export function postNdjson(
  server: RunningServer,
  lines: readonly unknown[],
  key = SERVER_KEY,
): Promise<Answer> {
  return send(`${server.url}/v1/events`, {
    key,
    contentType: "application/x-ndjson",
    body: lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n"),
  });
}

/** POST /v1/events with a JSON document (one event or an array). */
export function postJson(server: RunningServer, document: unknown, key = SERVER_KEY): Promise<Answer> {
  return send(`${server.url}/v1/events`, {
    key,
    contentType: "application/json",
    body: JSON.stringify(document),
  });
}

/** GET a path; `key` null sends none. */
export function get(server: RunningServer, path: string, key: string | null = SERVER_KEY) {
  return send(`${server.url}${path}`, key === null ? {} : { key });
}

export interface Stats {
  events: Record<string, number>;
  totalEvents: number;
  duplicates: number;
  items: number;
  visitors: number;
  [other: string]: unknown;
}

export async function stats(server: RunningServer): Promise<Stats> {
  const answer = await get(server, "/v1/stats");
  if (answer.status !== 200) throw new Error(`GET /v1/stats answered ${answer.status}: ${answer.text}`);
  // The engine's counts only: `live` holds the last minute's rates, which move with the clock.
  const { live: _live, ...engineStats } = answer.json as Stats;
  return engineStats as Stats;
}

/** A behaviour event a tracking key may send. */
export function view(visitor: string, item: string, extra: Record<string, unknown> = {}): SibylEvent {
  return {
    event_type: "DetailItemView",
    user_info: { visitor_id: visitor },
    item: { item_id: item },
    ...extra,
  } as SibylEvent;
}

const examplesDir = fileURLToPath(new URL("../../../../schemas/examples/", import.meta.url));

/** The valid test vectors of an event type, in file name order. */
export function validVectors(eventType: EventType): SibylEvent[] {
  const dir = join(examplesDir, eventType, "valid");
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), "utf8")) as SibylEvent);
}

export const EVENT_TYPES = Object.keys(eventRegistry).sort() as EventType[];

// ---- Response shapes (schemas/api/*.schema.json), checked by hand: every problem found is returned. ----

type Problems = string[];

const codePoints = (text: string) => [...text].length;
const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

function onlyKeys(value: Record<string, unknown>, allowed: string[], at: string, problems: Problems) {
  for (const key of Object.keys(value))
    if (!allowed.includes(key)) problems.push(`${at}: unexpected "${key}"`);
}

function boundedString(value: unknown, max: number, at: string, problems: Problems) {
  if (typeof value !== "string") problems.push(`${at}: not a string`);
  else if (codePoints(value) > max) problems.push(`${at}: longer than ${max}`);
}

/** Is this an RFC 6901 JSON pointer? */
export function isJsonPointer(pointer: string): boolean {
  return pointer === "" || (pointer.startsWith("/") && !/~[^01]|~$/.test(pointer));
}

function validationErrorProblems(value: unknown, at: string, problems: Problems) {
  if (!isObject(value)) {
    problems.push(`${at}: not an object`);
    return;
  }
  onlyKeys(value, ["pointer", "message"], at, problems);
  boundedString(value.pointer, 4096, `${at}/pointer`, problems);
  boundedString(value.message, 4096, `${at}/message`, problems);
  if (typeof value.pointer === "string" && !isJsonPointer(value.pointer))
    problems.push(`${at}/pointer: not a JSON pointer: ${value.pointer}`);
  if (typeof value.message === "string" && value.message === "") problems.push(`${at}/message: empty`);
}

export function errorBodyProblems(value: unknown): Problems {
  const problems: Problems = [];
  if (!isObject(value)) return ["ErrorBody: not an object"];
  onlyKeys(value, ["error", "message", "errors"], "ErrorBody", problems);
  boundedString(value.error, 64, "ErrorBody/error", problems);
  boundedString(value.message, 4096, "ErrorBody/message", problems);
  if (value.errors !== undefined) {
    if (!Array.isArray(value.errors) || value.errors.length > 64)
      problems.push("ErrorBody/errors: not an array ≤ 64");
    else
      for (const [index, error] of value.errors.entries())
        validationErrorProblems(error, `ErrorBody/errors/${index}`, problems);
  }
  return problems;
}

export function ingestResultProblems(value: unknown): Problems {
  const problems: Problems = [];
  if (!isObject(value)) return ["IngestResult: not an object"];
  onlyKeys(value, ["accepted", "rejected"], "IngestResult", problems);
  if (!Number.isInteger(value.accepted) || (value.accepted as number) < 0)
    problems.push("IngestResult/accepted: not an integer ≥ 0");
  if (!Array.isArray(value.rejected) || value.rejected.length > 100_000) {
    problems.push("IngestResult/rejected: not an array ≤ 100000");
    return problems;
  }
  let previous = 0;
  value.rejected.forEach((line: unknown, index) => {
    const at = `IngestResult/rejected/${index}`;
    if (!isObject(line)) {
      problems.push(`${at}: not an object`);
      return;
    }
    onlyKeys(line, ["line", "event_type", "errors"], at, problems);
    if (!Number.isInteger(line.line) || (line.line as number) < 1)
      problems.push(`${at}/line: not an integer ≥ 1`);
    else if ((line.line as number) <= previous) problems.push(`${at}/line: not in input order`);
    else previous = line.line as number;
    if (line.event_type !== undefined) boundedString(line.event_type, 128, `${at}/event_type`, problems);
    if (!Array.isArray(line.errors) || line.errors.length < 1 || line.errors.length > 64)
      problems.push(`${at}/errors: not an array of 1 to 64`);
    else
      for (const [index, error] of line.errors.entries())
        validationErrorProblems(error, `${at}/errors/${index}`, problems);
  });
  return problems;
}

export function recoResponseProblems(value: unknown): Problems {
  const problems: Problems = [];
  if (!isObject(value)) return ["RecoResponse: not an object"];
  onlyKeys(value, ["rec_id", "placement", "items"], "RecoResponse", problems);
  boundedString(value.rec_id, 128, "RecoResponse/rec_id", problems);
  boundedString(value.placement, 64, "RecoResponse/placement", problems);
  if (!Array.isArray(value.items) || value.items.length > 1000) {
    problems.push("RecoResponse/items: not an array ≤ 1000");
    return problems;
  }
  value.items.forEach((item: unknown, index) => {
    const at = `RecoResponse/items/${index}`;
    if (!isObject(item)) {
      problems.push(`${at}: not an object`);
      return;
    }
    onlyKeys(item, ["item_id", "score", "strategy", "context_item_id"], at, problems);
    boundedString(item.item_id, 128, `${at}/item_id`, problems);
    if (typeof item.score !== "number" || !Number.isFinite(item.score))
      problems.push(`${at}/score: not a number`);
    boundedString(item.strategy, 64, `${at}/strategy`, problems);
    if (item.context_item_id !== undefined)
      boundedString(item.context_item_id, 128, `${at}/context_item_id`, problems);
  });
  return problems;
}

/**
 * What POST /v1/events may answer: an IngestResult for 200/207/400/403 (or an ErrorBody for a 400 about the whole
 * body), an ErrorBody for 401/413/415/503, nothing else. Returns the problems with the answer; none for a good one.
 */
export function ingestAnswerProblems(answer: Answer): Problems {
  const { status, json } = answer;
  if (json === undefined) return [`status ${status}: not JSON: ${answer.text.slice(0, 300)}`];
  if (![200, 207, 400, 401, 403, 413, 415, 503].includes(status))
    return [`unexpected status ${status}: ${answer.text.slice(0, 300)}`];
  const isIngestResult = isObject(json) && "accepted" in json;
  if (status === 200 || status === 207 || (isIngestResult && (status === 400 || status === 403))) {
    const problems = ingestResultProblems(json);
    if (problems.length > 0) return problems;
    const { accepted, rejected } = json as { accepted: number; rejected: unknown[] };
    if (status === 200 && (rejected.length > 0 || accepted === 0))
      problems.push("200 with rejected lines or none accepted");
    if (status === 207 && (rejected.length === 0 || accepted === 0))
      problems.push("207 without both accepted and rejected lines");
    if ((status === 400 || status === 403) && (accepted > 0 || rejected.length === 0))
      problems.push(`${status} with accepted lines or no rejected line`);
    return problems;
  }
  return errorBodyProblems(json);
}

/** The lines of an IngestResult, as [line, first pointer] pairs. */
export function rejectedPointers(json: unknown): [number, string][] {
  const { rejected } = json as { rejected: { line: number; errors: { pointer: string }[] }[] };
  return rejected.map((line) => [line.line, line.errors[0]!.pointer]);
}
