import type { DetailItemView, SibylEvent } from "@sibyl/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SibylClient } from "./client.js";
import { type ApiError, type DeliveryError, RejectedEventsError } from "./errors.js";
import type { ClientOptions, FetchLike } from "./options.js";
import type { PageEnvironment, PageEventTarget } from "./page-hide/page-environment.js";
import { type SibylServer, startSibylServer } from "@sibyl/test-support";
import { SERVER_KEY, TRACKING_KEY } from "./testing/keys.js";

let server: SibylServer;
const t0 = Date.UTC(2026, 0, 5, 9);

const sibyl = (key: string, options: Partial<ClientOptions> = {}) =>
  new SibylClient({ baseUrl: server.url, key, pageHide: false, ...options });

async function stats(): Promise<{ events: Record<string, number>; duplicates: number }> {
  const response = await fetch(`${server.url}/v1/stats`, {
    headers: { authorization: `Bearer ${SERVER_KEY}` },
  });
  return (await response.json()) as { events: Record<string, number>; duplicates: number };
}

async function deliveryError(client: SibylClient): Promise<DeliveryError> {
  return (await client.flush().then(
    () => expect.fail("flush() should have thrown"),
    (error: unknown) => error,
  )) as DeliveryError;
}

const view = (visitor: string, item: string, at: number): DetailItemView => ({
  event_type: "DetailItemView",
  event_time: t0 + at,
  user_info: { visitor_id: visitor },
  item: { item_id: item },
});

beforeAll(async () => {
  server = await startSibylServer({
    from: import.meta.url,
    trackingKey: TRACKING_KEY,
    serverKey: SERVER_KEY,
  });
  const shop = sibyl(SERVER_KEY);
  for (const [item_id, title, category] of [
    ["tent", "Trail tent", "Outdoor > Tents"],
    ["mat", "Sleeping mat", "Outdoor > Sleeping"],
    ["stove", "Camp stove", "Outdoor > Cooking"],
  ] as const)
    shop.track({ event_type: "ItemUpsert", item_id, title, categories: [category], event_time: t0 });
  await shop.close();
});
afterAll(async () => {
  await server?.stop();
});

describe("against a running server", () => {
  it("tracks with the public key and recommends from what it tracked", async () => {
    const browser = sibyl(TRACKING_KEY);
    for (const [visitor, items] of [
      ["ann", ["tent", "mat"]],
      ["bob", ["tent", "mat"]],
      ["cid", ["stove"]],
    ] as const)
      items.forEach((item, index) => {
        browser.track(view(visitor, item, index * 1000));
      });
    await browser.flush();
    const response = await browser.recommend("product_page_similar", {
      user_info: { visitor_id: "dee" },
      context_item_ids: ["tent"],
      count: 2,
    });
    expect(response.rec_id).toMatch(/\S/);
    expect(response.items.map((item) => [item.item_id, item.strategy])).toEqual([
      ["mat", "cooccurrence"],
      ["stove", "fallback:popular"],
    ]);
    await browser.close();
  });

  it("reports each line the server rejects with its pointer, and the rest of the batch is applied", async () => {
    const before = await stats();
    const browser = sibyl(TRACKING_KEY);
    browser.track(view("eve", "tent", 10_000));
    browser.track({ event_type: "ItemUpsert", item_id: "sneaky", title: "Not from a browser" });
    browser.track({ event_type: "AddToCart", user_info: { visitor_id: "eve" }, items: [] } as SibylEvent);
    const error = await deliveryError(browser);
    const rejected = error.failures[0] as RejectedEventsError;
    expect(rejected).toBeInstanceOf(RejectedEventsError);
    expect([rejected.status, rejected.accepted]).toEqual([207, 1]);
    expect(
      rejected.rejected.map((line) => [line.line, line.event.event_type, line.errors[0]?.pointer]),
    ).toEqual([
      [2, "ItemUpsert", "/event_type"],
      [3, "AddToCart", "/items"],
    ]);
    expect((await stats()).events.DetailItemView).toBe((before.events.DetailItemView ?? 0) + 1);
    await browser.close();
  });

  it("sends a batch again when its answer was lost, and the server applies it once", async () => {
    const before = await stats();
    let lost = 0;
    const losesFirstAnswer: FetchLike = async (url, init) => {
      const response = await fetch(url, init);
      if (lost++ > 0) return response;
      await response.arrayBuffer();
      throw new TypeError("the connection was reset before the answer arrived");
    };
    const browser = sibyl(TRACKING_KEY, { fetch: losesFirstAnswer, retry: { baseDelayMs: 1 } });
    for (let index = 0; index < 5; index++) browser.track(view("fay", "mat", 20_000 + index));
    await browser.close();
    const after = await stats();
    expect(lost).toBe(2);
    expect(after.events.DetailItemView).toBe((before.events.DetailItemView ?? 0) + 5);
    expect(after.duplicates).toBe(before.duplicates + 5);
  });

  it("throws the server's error for an unknown placement and for a key it does not know", async () => {
    const browser = sibyl(TRACKING_KEY);
    const unknown = (await browser
      .recommend("nope", { user_info: { visitor_id: "ann" } })
      .catch((error: unknown) => error)) as ApiError;
    expect([unknown.status, unknown.code, unknown.errors[0]?.pointer]).toEqual([
      404,
      "unknown_placement",
      "/placement",
    ]);
    await browser.close();

    const stranger = sibyl("pk_nobody");
    stranger.track(view("gus", "tent", 30_000));
    const error = await deliveryError(stranger);
    expect(error.failures[0]).toMatchObject({ status: 401, code: "invalid_key" });
    expect(error.events).toHaveLength(1);
  });

  it("delivers on page hide the way a browser sends: keepalive fetch, then beacons, key in the query", async () => {
    const before = await stats();
    const beacons: Promise<Response>[] = [];
    const target = (): PageEventTarget & { fire?: () => void } => {
      const self: PageEventTarget & { fire?: () => void } = {
        addEventListener: (_type, listener) => {
          self.fire = listener;
        },
        removeEventListener: () => undefined,
      };
      return self;
    };
    const window = target();
    const page: PageEnvironment = {
      window,
      // What a browser's sendBeacon sends for a string: a text/plain POST without credentials or other headers.
      navigator: {
        sendBeacon: (url, data) => {
          beacons.push(
            fetch(url, {
              method: "POST",
              body: data,
              headers: { "content-type": "text/plain;charset=UTF-8" },
            }),
          );
          return true;
        },
      },
    };
    const failures: unknown[] = [];
    const browser = sibyl(TRACKING_KEY, { pageHide: page, onError: (failure) => failures.push(failure) });
    const padding = "p".repeat(400);
    for (let index = 0; index < 600; index++)
      browser.track({
        ...view("hal", `item-${index % 40}`, 40_000 + index),
        context: { url: `https://shop.example.com/${padding}` },
      });
    window.fire?.();
    expect(browser.pending).toBe(0);
    expect(beacons.length).toBeGreaterThan(1);
    const answers = await Promise.all(beacons);
    for (const answer of answers) expect(await answer.json()).toMatchObject({ rejected: [] });
    await browser.close();
    expect(failures).toEqual([]);
    expect((await stats()).events.DetailItemView).toBe((before.events.DetailItemView ?? 0) + 600);
  });
});
