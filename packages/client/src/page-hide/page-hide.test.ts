import type { SibylEvent } from "@sibyl/events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SibylClient } from "../client.js";
import { type DeliveryFailure, RejectedEventsError, RetriesExhaustedError } from "../errors.js";
import type { FetchResponse } from "../options.js";
import { type FakeFetch, fakeFetch } from "../testing/fake-fetch.js";
import { detectPage, type PageEnvironment, type PageEventTarget } from "./page-environment.js";
import { KEEPALIVE_LIMIT } from "./page-hide-sender.js";

class FakeTarget implements PageEventTarget {
  readonly listeners = new Map<string, Set<() => void>>();
  addEventListener(type: string, listener: () => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: () => void): void {
    this.listeners.get(type)?.delete(listener);
  }
  dispatch(type: string): void {
    for (const listener of this.listeners.get(type) ?? []) listener();
  }
  get count(): number {
    return [...this.listeners.values()].reduce((sum, set) => sum + set.size, 0);
  }
}

class FakeDocument extends FakeTarget {
  visibilityState = "visible";
}

interface Beacon {
  url: string;
  data: string;
}

let server: FakeFetch;
let document: FakeDocument;
let window: FakeTarget;
let beacons: Beacon[];
let beaconAccepts: boolean;
let failures: DeliveryFailure[];

const page = (): PageEnvironment => ({
  document,
  window,
  navigator: {
    sendBeacon: (url, data) => {
      if (beaconAccepts) beacons.push({ url, data });
      return beaconAccepts;
    },
  },
});

const client = () =>
  new SibylClient({
    baseUrl: "https://reco.example.com",
    key: "pk_live_7",
    fetch: server.fetch,
    pageHide: page(),
    onError: (failure) => failures.push(failure),
  });

/** A view whose NDJSON line is about `bytes` long. */
const view = (index: number, bytes = 100): SibylEvent => ({
  event_type: "DetailItemView",
  event_id: `e-${index}`,
  user_info: { visitor_id: "ann" },
  item: { item_id: `item-${index}` },
  context: { url: `https://shop.example.com/p/${index}?${"x".repeat(Math.max(0, bytes - 130))}` },
});

const hide = () => {
  document.visibilityState = "hidden";
  document.dispatch("visibilitychange");
};

const idsIn = (body: string) =>
  body
    .split("\n")
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { event_id: string }).event_id);

beforeEach(() => {
  vi.useFakeTimers();
  server = fakeFetch();
  document = new FakeDocument();
  window = new FakeTarget();
  beacons = [];
  beaconAccepts = true;
  failures = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe("when the page is hidden", () => {
  it("sends the queue with a keepalive fetch: key in the query, text/plain, no header that needs a preflight", async () => {
    const sibyl = client();
    sibyl.track(view(1));
    sibyl.track(view(2));
    hide();
    expect(sibyl.pending).toBe(0);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.url).toBe("https://reco.example.com/v1/events?key=pk_live_7");
    expect(request!.init).toMatchObject({
      method: "POST",
      keepalive: true,
      headers: { "content-type": "text/plain" },
    });
    expect(idsIn(request!.init.body)).toEqual(["e-1", "e-2"]);
    expect(beacons).toEqual([]);
  });

  it("also sends on pagehide, but not when the page becomes visible", () => {
    const sibyl = client();
    sibyl.track(view(1));
    document.dispatch("visibilitychange");
    expect(server.requests).toHaveLength(0);
    window.dispatch("pagehide");
    expect(server.requests).toHaveLength(1);
    window.dispatch("pagehide");
    expect(server.requests, "nothing left to send").toHaveLength(1);
  });

  it("cuts a large queue into bodies of at most 64 KiB: keepalive while its budget lasts, then sendBeacon", async () => {
    const pending: Array<(response: FetchResponse) => void> = [];
    const sibyl = new SibylClient({
      baseUrl: "https://reco.example.com",
      key: "pk_live_7",
      batchSize: 5_000,
      pageHide: page(),
      fetch: (url, init) => {
        server.requests.push({ url, init, lines: [] });
        return new Promise((resolve) => pending.push(resolve));
      },
    });
    const count = 2_000;
    for (let index = 0; index < count; index++) sibyl.track(view(index, 150 + (index % 7) * 40));
    hide();
    const bodies = [
      ...server.requests.map((request) => request.init.body),
      ...beacons.map((beacon) => beacon.data),
    ];
    expect(server.requests).toHaveLength(1);
    expect(beacons.length).toBeGreaterThan(3);
    for (const body of bodies)
      expect(new TextEncoder().encode(body).byteLength).toBeLessThanOrEqual(KEEPALIVE_LIMIT);
    expect(bodies.flatMap(idsIn)).toEqual(Array.from({ length: count }, (_, index) => `e-${index}`));
    for (const beacon of beacons) expect(beacon.url).toBe("https://reco.example.com/v1/events?key=pk_live_7");
  });

  it("keeps what the browser would not take, and sends it normally if the page stays", async () => {
    beaconAccepts = false;
    server.script.push("hang");
    const sibyl = client();
    for (let index = 0; index < 1_000; index++) sibyl.track(view(index, 200));
    hide();
    expect(server.requests).toHaveLength(1);
    const handed = idsIn(server.requests[0]!.init.body);
    expect(sibyl.pending).toBe(1_000 - handed.length);
    await vi.advanceTimersByTimeAsync(1_000);
    const rest = server.requests.slice(1);
    expect(rest.every((request) => request.init.headers.authorization === "Bearer pk_live_7")).toBe(true);
    expect([...handed, ...rest.flatMap((request) => idsIn(request.init.body))]).toEqual(
      Array.from({ length: 1_000 }, (_, index) => `e-${index}`),
    );
  });

  it("keeps an event too large for any keepalive body for a normal request", async () => {
    const sibyl = client();
    sibyl.track(view(1));
    sibyl.track(view(2, KEEPALIVE_LIMIT + 10));
    hide();
    expect(idsIn(server.requests[0]!.init.body)).toEqual(["e-1"]);
    expect(sibyl.pending).toBe(1);
    await sibyl.flush();
    expect(idsIn(server.requests[1]!.init.body)).toEqual(["e-2"]);
  });

  it("reads the keepalive answer: rejected lines reach onError", async () => {
    server.script.push({
      status: 207,
      body: { accepted: 1, rejected: [{ line: 2, errors: [{ pointer: "/item", message: "is required" }] }] },
    });
    const sibyl = client();
    sibyl.track(view(1));
    sibyl.track(view(2));
    hide();
    await vi.advanceTimersByTimeAsync(0);
    expect(failures).toHaveLength(1);
    const rejected = failures[0] as RejectedEventsError;
    expect(rejected).toBeInstanceOf(RejectedEventsError);
    expect(rejected.rejected.map((line) => [line.line, line.event.event_id])).toEqual([[2, "e-2"]]);
  });

  it("queues the events again when the keepalive request got no answer; their event_ids make a resend safe", async () => {
    server.script.push(new TypeError("network error"));
    const sibyl = client();
    sibyl.track(view(1));
    hide();
    await vi.advanceTimersByTimeAsync(0);
    expect(sibyl.pending).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.requests.map((request) => idsIn(request.init.body))).toEqual([["e-1"], ["e-1"]]);
    expect(failures).toEqual([]);
  });

  it("reports the events of a keepalive request left unanswered once the client is closed", async () => {
    let fail: (error: Error) => void = () => undefined;
    const sibyl = new SibylClient({
      baseUrl: "https://reco.example.com",
      key: "pk_live_7",
      pageHide: page(),
      onError: (failure) => failures.push(failure),
      fetch: () =>
        new Promise((_resolve, reject) => {
          fail = reject;
        }),
    });
    sibyl.track(view(1));
    hide();
    await sibyl.close();
    fail(new TypeError("network error"));
    await vi.advanceTimersByTimeAsync(0);
    expect(sibyl.pending).toBe(0);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(RetriesExhaustedError);
    expect((failures[0] as RetriesExhaustedError).events.map((event) => event.event_id)).toEqual(["e-1"]);
  });

  it("stops watching the page on close", async () => {
    const sibyl = client();
    expect(document.count + window.count).toBe(2);
    await sibyl.close();
    expect(document.count + window.count).toBe(0);
  });
});

describe("detectPage", () => {
  it("finds nothing outside a browser", () => {
    expect(detectPage()).toBeUndefined();
  });

  it("finds the page's document, window and navigator in a browser", () => {
    const { navigator } = page();
    vi.stubGlobal("document", document);
    vi.stubGlobal("window", window);
    vi.stubGlobal("navigator", navigator);
    try {
      expect(detectPage()).toEqual({ document, window, navigator });
      const sibyl = new SibylClient({ baseUrl: "https://reco.example.com", key: "pk", fetch: server.fetch });
      sibyl.track(view(1));
      window.dispatch("pagehide");
      expect(server.requests[0]!.init.keepalive).toBe(true);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
