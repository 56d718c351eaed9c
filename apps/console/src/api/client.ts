import type {
  ErrorBody,
  IngestAnswer,
  IngestResult,
  ItemInspection,
  PlacementConfig,
  PreviewBody,
  RecoResponse,
  SchemasResponse,
  StatsResponse,
  ValidationError,
  VisitorInspection,
} from "./types.js";

/** The server answered with an error: its status and ErrorBody, and the request it answered. */
export class ApiError extends Error {
  readonly status: number;
  /** The ErrorBody's stable code (`invalid_key`, `unknown_item` …), or `http_<status>` for a body that is not one. */
  readonly code: string;
  readonly errors: ValidationError[];
  readonly request: string;

  constructor(status: number, body: Partial<ErrorBody>, request: string) {
    super(body.message ?? `the server answered ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = body.error ?? `http_${status}`;
    this.errors = body.errors ?? [];
    this.request = request;
  }

  /** The key is missing or unknown (401), or not a server key (403). */
  get isAuth(): boolean {
    return this.status === 401 || (this.status === 403 && this.code === "server_key_required");
  }
}

/** The server could not be reached at all (it is down, or the network is). */
export class NetworkError extends Error {
  constructor(
    readonly request: string,
    cause: unknown,
  ) {
    super(`the server did not answer ${request}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = "NetworkError";
  }
}

export interface ApiClientOptions {
  /** The server key, sent as `Authorization: Bearer`. */
  key: string;
  /** The server's origin; the page's own when empty (the console is served by the server it talks to). */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Told about every 401/403, so the console can ask for another key wherever the call was made. */
  onAuthError?: (error: ApiError) => void;
}

/** The server's HTTP API, as the console uses it. Every method rejects with an ApiError or a NetworkError. */
export interface ApiClient {
  schemas(): Promise<SchemasResponse>;
  stats(): Promise<StatsResponse>;
  item(id: string): Promise<ItemInspection>;
  visitor(id: string, kind: "visitor" | "user"): Promise<VisitorInspection>;
  placements(): Promise<PlacementConfig[]>;
  preview(body: PreviewBody): Promise<RecoResponse>;
  /** Sends events as NDJSON; an IngestResult (whatever its status) resolves, any other answer rejects. */
  sendEvents(events: readonly unknown[] | string): Promise<IngestAnswer>;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = options.baseUrl ?? "";

  const call = async (method: string, path: string, body?: { type: string; text: string }) => {
    const request = `${method} ${path}`;
    let response: Response;
    try {
      response = await fetcher(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.key}`,
          ...(body ? { "content-type": body.type } : {}),
        },
        ...(body ? { body: body.text } : {}),
      });
    } catch (error) {
      throw new NetworkError(request, error);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { request, status: response.status, ok: response.ok, json, text };
  };

  const fail = (answer: Awaited<ReturnType<typeof call>>): never => {
    const body: Partial<ErrorBody> =
      isObject(answer.json) && typeof answer.json.error === "string"
        ? (answer.json as Partial<ErrorBody>)
        : { message: `the server answered ${answer.status}: ${answer.text.slice(0, 200)}` };
    const error = new ApiError(answer.status, body, answer.request);
    if (error.isAuth) options.onAuthError?.(error);
    throw error;
  };

  const getJson = async <T>(path: string): Promise<T> => {
    const answer = await call("GET", path);
    return answer.ok ? (answer.json as T) : fail(answer);
  };
  const postJson = async <T>(path: string, value: unknown): Promise<T> => {
    const answer = await call("POST", path, { type: "application/json", text: JSON.stringify(value) });
    return answer.ok ? (answer.json as T) : fail(answer);
  };

  return {
    schemas: () => getJson("/v1/schemas"),
    stats: () => getJson("/v1/stats"),
    item: (id) => getJson(`/v1/items/${encodeURIComponent(id)}`),
    visitor: (id, kind) =>
      getJson(`/v1/visitors/${encodeURIComponent(id)}${kind === "user" ? "?kind=user" : ""}`),
    placements: async () => (await getJson<{ placements: PlacementConfig[] }>("/v1/placements")).placements,
    preview: (body) => postJson("/v1/placements/preview", body),
    async sendEvents(events) {
      const text =
        typeof events === "string" ? events : events.map((event) => JSON.stringify(event)).join("\n");
      const answer = await call("POST", "/v1/events", { type: "application/x-ndjson", text });
      if (isObject(answer.json) && typeof answer.json.accepted === "number")
        return { status: answer.status, result: answer.json as unknown as IngestResult };
      return fail(answer);
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
