import type { SibylEvent } from "@sibyl/events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SibylClient } from "./client.js";
import {
  ApiError,
  ClientClosedError,
  type DeliveryFailure,
  DeliveryError,
  ProtocolError,
  QueueFullError,
  RejectedEventsError,
  RetriesExhaustedError,
} from "./errors.js";
import type { ClientOptions } from "./options.js";
import { type FakeFetch, fakeFetch } from "./testing/fake-fetch.js";

const view = (item: string, extra: Partial<SibylEvent> = {}): SibylEvent =>
  ({
    event_type: "DetailItemView",
    user_info: { visitor_id: "ann" },
    item: { item_id: item },
    ...extra,
  }) as SibylEvent;

let server: FakeFetch;
let failures: DeliveryFailure[];

function client(options: Partial<ClientOptions> = {}): SibylClient {
  return new SibylClient({
    baseUrl: "https://reco.example.com/api/",
    key: "pk_live_123",
    fetch: server.fetch,
    onError: (failure) => failures.push(failure),
    random: () => 0.5,
    pageHide: false,
    ...options,
  });
}

/** What the flush threw, or undefined when it did not. */
async function flushError(sibyl: SibylClient): Promise<DeliveryError | undefined> {
  try {
    await sibyl.flush();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(DeliveryError);
    return error as DeliveryError;
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  server = fakeFetch();
  failures = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe("batching", () => {
  it("sends a full batch at once as NDJSON with the key, and a partial one after the interval", async () => {
    const sibyl = client({ batchSize: 3, flushIntervalMs: 1_000 });
    for (const item of ["a", "b", "c"]) expect(sibyl.track(view(item))).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(server.requests).toHaveLength(1);
    const [first] = server.requests;
    expect(first!.url).toBe("https://reco.example.com/api/v1/events");
    expect(first!.init.headers).toEqual({
      authorization: "Bearer pk_live_123",
      "content-type": "application/x-ndjson",
    });
    expect(first!.init.body.endsWith("\n")).toBe(true);
    expect(first!.lines.map((line) => (line.item as { item_id: string }).item_id)).toEqual(["a", "b", "c"]);

    sibyl.track(view("d"));
    await vi.advanceTimersByTimeAsync(999);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.lines).toHaveLength(1);
  });

  it("cuts a flush into batches by count and bytes, sent one after another in order", async () => {
    const answers: Array<() => void> = [];
    const slow = fakeFetch();
    const sibyl = client({
      batchSize: 2,
      maxBatchBytes: 10_000,
      fetch: (url, init) => {
        const answer = slow.fetch(url, init);
        return new Promise((resolve) => answers.push(() => resolve(answer)));
      },
    });
    for (const item of ["a", "b", "c", "d", "e"]) sibyl.track(view(item));
    const flushed = sibyl.flush();
    for (let batch = 1; batch <= 3; batch++) {
      await vi.advanceTimersByTimeAsync(0);
      expect(slow.requests, "a batch waits for the answer to the one before").toHaveLength(batch);
      answers.shift()!();
    }
    await flushed;
    expect(slow.requests.map((request) => request.lines.length)).toEqual([2, 2, 1]);
  });

  it("gives every event an event_id, and keeps one the caller chose", async () => {
    const sibyl = client();
    sibyl.track(view("a"));
    sibyl.track(view("b", { event_id: "mine-1" }));
    await sibyl.flush();
    const [first, second] = server.requests[0]!.lines;
    expect(first!.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second!.event_id).toBe("mine-1");
  });

  it("sends the event as it was when tracked", async () => {
    const sibyl = client();
    const event = view("a") as SibylEvent & { item: { item_id: string } };
    sibyl.track(event);
    event.item.item_id = "changed";
    await sibyl.flush();
    expect(server.requests[0]!.lines[0]!.item).toEqual({ item_id: "a" });
  });

  it("drops events beyond maxQueueSize and reports each", async () => {
    server.script.push("hang");
    const sibyl = client({ maxQueueSize: 2, batchSize: 2, timeoutMs: 5_000 });
    expect(sibyl.track(view("a"))).toBe(true);
    expect(sibyl.track(view("b"))).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    sibyl.track(view("c"));
    sibyl.track(view("d"));
    expect(sibyl.track(view("e"))).toBe(false);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(QueueFullError);
    expect((failures[0] as QueueFullError).event).toMatchObject({ item: { item_id: "e" } });
  });
});

describe("retries", () => {
  it("sends the same batch again after 503 and 429, waiting what Retry-After asks", async () => {
    server.script.push({
      status: 503,
      body: { error: "log_unavailable", message: "retry" },
      headers: { "Retry-After": "5" },
    });
    server.script.push({
      status: 429,
      body: { error: "overloaded", message: "slow down" },
      headers: { "retry-after": "2" },
    });
    const sibyl = client();
    sibyl.track(view("a"));
    const flushed = sibyl.flush();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2_000);
    await flushed;
    expect(server.requests).toHaveLength(3);
    const bodies = new Set(server.requests.map((request) => request.init.body));
    expect(bodies.size, "every attempt carries the same events with the same event_ids").toBe(1);
    expect(failures).toEqual([]);
  });

  it("backs off exponentially with jitter after network errors, then gives up and reports the events", async () => {
    server.script.push(...Array.from({ length: 4 }, () => new TypeError("fetch failed")));
    const times: number[] = [];
    const sibyl = client({
      retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 },
      random: () => 0.5,
      fetch: (url, init) => {
        times.push(Date.now());
        return server.fetch(url, init);
      },
    });
    sibyl.track(view("a"));
    const error = flushError(sibyl);
    await vi.advanceTimersByTimeAsync(1_000);
    // attempt 1 at once; then waits of 0.5 × 100, 0.5 × 200, 0.5 × min(300, 400)
    expect(times.map((time) => time - times[0]!)).toEqual([0, 50, 150, 300]);
    const thrown = await error;
    expect(thrown?.failures).toHaveLength(1);
    const exhausted = thrown!.failures[0] as RetriesExhaustedError;
    expect(exhausted).toBeInstanceOf(RetriesExhaustedError);
    expect(exhausted.attempts).toBe(4);
    expect(exhausted.lastStatus).toBeUndefined();
    expect(exhausted.message).toContain("fetch failed");
    expect(thrown!.events).toMatchObject([{ item: { item_id: "a" } }]);
    expect(failures).toEqual(thrown!.failures);
  });

  it("counts an unanswered request as a network error once timeoutMs has passed", async () => {
    server.script.push("hang");
    const sibyl = client({ timeoutMs: 2_000 });
    sibyl.track(view("a"));
    const flushed = sibyl.flush();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1 + 100);
    await flushed;
    expect(server.requests).toHaveLength(2);
  });

  it.each([
    [400, { error: "empty_batch", message: "the body holds no events" }],
    [401, { error: "invalid_key", message: "the API key is not valid" }],
    [413, { error: "batch_too_large", message: "too many" }],
    [500, { error: "internal", message: "boom" }],
  ])("never retries %i, and reports it with the events", async (status, body) => {
    server.script.push({ status, body });
    const sibyl = client();
    sibyl.track(view("a"));
    const thrown = await flushError(sibyl);
    expect(server.requests).toHaveLength(1);
    const error = thrown!.failures[0] as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.code, error.serverMessage]).toEqual([status, body.error, body.message]);
    expect(error.events).toHaveLength(1);
  });

  it("reports an answer that is not the Sibyl API as a ProtocolError", async () => {
    server.script.push({ status: 502, text: "<html><body>Bad Gateway</body></html>" });
    const sibyl = client();
    sibyl.track(view("a"));
    const thrown = await flushError(sibyl);
    expect(thrown!.failures[0]).toBeInstanceOf(ProtocolError);
    expect(thrown!.message).toContain("Bad Gateway");
  });
});

describe("rejected lines", () => {
  it("matches each rejected line to its event, with the pointers, and never sends them again", async () => {
    server.script.push({
      status: 207,
      body: {
        accepted: 2,
        rejected: [
          {
            line: 2,
            event_type: "DetailItemView",
            errors: [{ pointer: "/item/item_id", message: "is required" }],
          },
        ],
      },
    });
    const sibyl = client();
    for (const item of ["a", "", "c"]) sibyl.track(view(item));
    const thrown = await flushError(sibyl);
    const rejected = thrown!.failures[0] as RejectedEventsError;
    expect(rejected).toBeInstanceOf(RejectedEventsError);
    expect(rejected.accepted).toBe(2);
    expect(rejected.rejected).toEqual([
      {
        line: 2,
        event_type: "DetailItemView",
        event: expect.objectContaining({ item: { item_id: "" } }),
        errors: [{ pointer: "/item/item_id", message: "is required" }],
      },
    ]);
    expect(rejected.message).toContain("line 2 (DetailItemView): /item/item_id is required");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.requests).toHaveLength(1);
  });
});

describe("flush and close", () => {
  it("hands background failures to onError and throws them from the next flush, once", async () => {
    server.script.push({ status: 401, body: { error: "invalid_key", message: "the API key is not valid" } });
    const sibyl = client({ batchSize: 1 });
    sibyl.track(view("a"));
    await vi.advanceTimersByTimeAsync(0);
    expect(failures).toHaveLength(1);
    expect((await flushError(sibyl))?.failures).toEqual(failures);
    expect(await flushError(sibyl)).toBeUndefined();
  });

  it("close sends what is queued, then refuses every call; closing again is harmless", async () => {
    const sibyl = client();
    sibyl.track(view("a"));
    await sibyl.close();
    expect(server.requests).toHaveLength(1);
    await sibyl.close();
    expect(() => sibyl.track(view("b"))).toThrow(ClientClosedError);
    await expect(sibyl.flush()).rejects.toThrow(ClientClosedError);
    await expect(sibyl.recommend("trending", { user_info: { visitor_id: "ann" } })).rejects.toThrow(
      ClientClosedError,
    );
    expect(vi.getTimerCount()).toBe(0);
  });

  it("keeps no timer while nothing is queued", async () => {
    const sibyl = client();
    expect(vi.getTimerCount()).toBe(0);
    sibyl.track(view("a"));
    expect(vi.getTimerCount()).toBe(1);
    await sibyl.flush();
    expect(vi.getTimerCount()).toBe(0);
  });
});
