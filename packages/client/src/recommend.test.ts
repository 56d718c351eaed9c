import type { RecoResponse } from "@sibyl/events";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { SibylClient } from "./client.js";
import { ApiError, ProtocolError, RetriesExhaustedError } from "./errors.js";
import { type FakeFetch, fakeFetch } from "./testing/fake-fetch.js";

const answer: RecoResponse = {
  rec_id: "r-1",
  placement: "product_page_similar",
  items: [
    { item_id: "mat", score: 1, strategy: "cooccurrence", context_item_id: "tent" },
    { item_id: "stove", score: 0.4, strategy: "fallback:popular" },
  ],
};

let server: FakeFetch;
const client = () =>
  new SibylClient({
    baseUrl: "http://127.0.0.1:8080",
    key: "pk_test",
    fetch: server.fetch,
    random: () => 0,
    pageHide: false,
  });

beforeEach(() => {
  vi.useFakeTimers();
  server = fakeFetch(() => ({ status: 200, body: answer }));
});
afterEach(() => {
  vi.useRealTimers();
});

it("posts the request as JSON with the placement and an event_id, and answers the typed response", async () => {
  const response = await client().recommend("product_page_similar", {
    user_info: { visitor_id: "bob" },
    context_item_ids: ["tent"],
    count: 2,
  });
  expect(response).toEqual(answer);
  const [request] = server.requests;
  expect(request!.url).toBe("http://127.0.0.1:8080/v1/recommend");
  expect(request!.init.headers).toEqual({
    authorization: "Bearer pk_test",
    "content-type": "application/json",
  });
  expect(request!.lines).toEqual([
    {
      placement: "product_page_similar",
      user_info: { visitor_id: "bob" },
      context_item_ids: ["tent"],
      count: 2,
      event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    },
  ]);
});

it("asks again after 503 with the same event_id, so the server logs the request once", async () => {
  server.script.push({ status: 503, body: { error: "recovering", message: "not ready" } });
  const response = client().recommend("trending", { user_info: { visitor_id: "bob" } });
  await vi.advanceTimersByTimeAsync(0);
  expect(await response).toEqual(answer);
  expect(server.requests).toHaveLength(2);
  expect(server.requests[1]!.init.body).toBe(server.requests[0]!.init.body);
});

it("throws RetriesExhaustedError with the last status when every attempt was refused", async () => {
  server = fakeFetch(() => ({ status: 429, body: { error: "overloaded", message: "slow down" } }));
  const response = client().recommend("trending", { user_info: { visitor_id: "bob" } });
  const settled = response.catch((error: unknown) => error);
  await vi.runAllTimersAsync();
  const error = (await settled) as RetriesExhaustedError;
  expect(error).toBeInstanceOf(RetriesExhaustedError);
  expect([error.attempts, error.lastStatus, error.events]).toEqual([5, 429, []]);
  expect(error.message).toContain("overloaded: slow down");
});

it("throws the server's error for an unknown placement, with its code and pointer", async () => {
  server.script.push({
    status: 404,
    body: {
      error: "unknown_placement",
      message: 'no placement "nope"; known: home_for_you, trending',
      errors: [{ pointer: "/placement", message: 'no placement "nope"' }],
    },
  });
  const error = (await client()
    .recommend("nope", { user_info: { visitor_id: "bob" } })
    .catch((thrown: unknown) => thrown)) as ApiError;
  expect(error).toBeInstanceOf(ApiError);
  expect([error.status, error.code, error.errors]).toEqual([
    404,
    "unknown_placement",
    [{ pointer: "/placement", message: 'no placement "nope"' }],
  ]);
  expect(error.message).toContain('/placement no placement "nope"');
  expect(server.requests).toHaveLength(1);
});

it("throws a ProtocolError for a 200 that is not a RecoResponse", async () => {
  server.script.push({ status: 200, body: { items: "none" } });
  await expect(client().recommend("trending", { user_info: { visitor_id: "bob" } })).rejects.toThrow(
    ProtocolError,
  );
});
