import { describe, expect, it } from "vitest";
import { ApiError, createApiClient, NetworkError } from "./client.js";

const answer = (status: number, body: unknown) =>
  Promise.resolve(new Response(typeof body === "string" ? body : JSON.stringify(body), { status }));

describe("the API client", () => {
  it("sends the key as a bearer token, and NDJSON to /v1/events", async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const client = createApiClient({
      key: "sk_1",
      baseUrl: "http://sibyl.test",
      fetch: ((url: string, init: RequestInit) => {
        seen.push({ url, init });
        return answer(207, {
          accepted: 1,
          rejected: [{ line: 2, errors: [{ pointer: "", message: "bad" }] }],
        });
      }) as typeof fetch,
    });
    const result = await client.sendEvents([{ a: 1 }, { b: 2 }]);
    expect(result.status).toBe(207);
    expect(result.result.accepted).toBe(1);
    expect(seen[0]!.url).toBe("http://sibyl.test/v1/events");
    expect(new Headers(seen[0]!.init.headers).get("authorization")).toBe("Bearer sk_1");
    expect(new Headers(seen[0]!.init.headers).get("content-type")).toBe("application/x-ndjson");
    expect(seen[0]!.init.body).toBe('{"a":1}\n{"b":2}');
  });

  it("turns an ErrorBody into an ApiError with its status, code, pointers and request", async () => {
    const refusals: ApiError[] = [];
    const client = createApiClient({
      key: "pk_tracking",
      fetch: (() =>
        answer(403, {
          error: "server_key_required",
          message: "needs a server key",
        })) as unknown as typeof fetch,
      onAuthError: (error) => refusals.push(error),
    });
    const error = await client.item("a b").catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, code: "server_key_required", request: "GET /v1/items/a%20b" });
    expect((error as ApiError).isAuth).toBe(true);
    expect(refusals).toHaveLength(1);

    const notFound = createApiClient({
      key: "sk",
      fetch: (() =>
        answer(404, {
          error: "unknown_placement",
          message: "no placement x",
          errors: [{ pointer: "/request/placement", message: "no placement x" }],
        })) as unknown as typeof fetch,
      onAuthError: (failure) => refusals.push(failure),
    });
    const missing = (await notFound
      .preview({ request: { user_info: { visitor_id: "v" } } })
      .catch((e: unknown) => e)) as ApiError;
    expect(missing.isAuth).toBe(false);
    expect(missing.errors).toEqual([{ pointer: "/request/placement", message: "no placement x" }]);
    expect(refusals).toHaveLength(1);
  });

  it("reports an answer that is not JSON by its status and text, and no answer as a NetworkError", async () => {
    const proxy = createApiClient({
      key: "sk",
      fetch: (() => answer(502, "Bad Gateway")) as unknown as typeof fetch,
    });
    await expect(proxy.stats()).rejects.toMatchObject({
      status: 502,
      code: "http_502",
      message: "the server answered 502: Bad Gateway",
    });
    const down = createApiClient({
      key: "sk",
      fetch: (() => Promise.reject(new TypeError("fetch failed"))) as unknown as typeof fetch,
    });
    const error = await down.stats().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toBe("the server did not answer GET /v1/stats: fetch failed");
  });
});
