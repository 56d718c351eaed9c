import { describe, expect, it } from "vitest";
import {
  freshDataDir,
  get,
  ingestAnswerProblems,
  postJson,
  postNdjson,
  SERVER_KEY,
  send,
  startTestServer,
  stats,
  TRACKING_KEY,
  validVectors,
  view,
} from "./test-support.js";

const T0 = 1_767_225_600_000;

describe("restart", () => {
  it("a server reopened on the same data directory has the same stats and state hash", async () => {
    const dataDir = freshDataDir();
    const first = await startTestServer({ dataDir });
    const catalog = Array.from({ length: 5 }, (_, index) => ({
      event_type: "ItemUpsert",
      item_id: `sku-${index}`,
      item_type: "product",
      title: `Item ${index}`,
      price: { display: 5 + index, currency: "EUR" },
      event_time: T0,
    }));
    expect((await postNdjson(first, catalog)).status).toBe(200);
    expect((await postJson(first, validVectors("PlacementUpsert")[0])).status).toBe(200);
    const views = Array.from({ length: 30 }, (_, index) =>
      view(`v-${index % 3}`, `sku-${index % 5}`, { event_time: T0 + index * 1000, event_id: `e-${index}` }),
    );
    expect((await postNdjson(first, views, TRACKING_KEY)).status).toBe(200);
    // A retried batch: every event_id seen, so they count as duplicates (and must stay so after the restart).
    expect((await postNdjson(first, views.slice(0, 5), TRACKING_KEY)).status).toBe(200);
    const reco = await send(`${first.url}/v1/recommend`, {
      key: TRACKING_KEY,
      contentType: "application/json",
      body: JSON.stringify({
        user_info: { visitor_id: "v-1" },
        placement: "trending",
        rec_id: "rec-restart",
      }),
    });
    expect(reco.status).toBe(200);
    expect(
      (
        await postNdjson(first, [
          {
            event_type: "RecoShow",
            user_info: { visitor_id: "v-1" },
            rec_id: "rec-restart",
            item_ids: ["sku-1"],
          },
        ])
      ).status,
    ).toBe(200);
    const before = await stats(first);
    const hash = first.context.engine!.stateHash();
    const visitor = (await get(first, "/v1/visitors/v-1")).json;
    expect(before.duplicates).toBe(5);
    await first.stop();

    const second = await startTestServer({ dataDir });
    try {
      expect(await stats(second)).toEqual(before);
      expect(second.context.engine!.stateHash()).toBe(hash);
      expect((await get(second, "/v1/visitors/v-1")).json).toEqual(visitor);
      // stop() wrote a snapshot, so the reopened server started from it.
      expect(second.context.engine!.recovery.snapshot).toBeTruthy();
      expect(second.context.engine!.recovery.replayed).toBe(0);
    } finally {
      await second.stop();
    }
    // A third start, from the snapshot written by the second stop, again with nothing new.
    const third = await startTestServer({ dataDir });
    try {
      expect(third.context.engine!.stateHash()).toBe(hash);
    } finally {
      await third.stop();
    }
  });
});

describe("graceful shutdown", () => {
  it("loses no event whose request was acknowledged, when stop() comes while requests are in flight", async () => {
    const dataDir = freshDataDir();
    const server = await startTestServer({ dataDir });
    const REQUESTS = 120;
    const PER_REQUEST = 5;
    // Request i carries events for visitor s-i only, so each acknowledged request can be checked on its own.
    const sent = Array.from({ length: REQUESTS }, (_, request) =>
      Array.from({ length: PER_REQUEST }, (_, index) =>
        view(`s-${request}`, `sku-${index}`, { event_id: `shutdown-${request}-${index}` }),
      ),
    );
    // Stop once a few requests have been answered: the others are then in flight or not yet sent.
    let answers = 0;
    let someAnswered!: () => void;
    const answered = new Promise<void>((resolve) => {
      someAnswered = resolve;
    });
    const countAnswer = () => {
      if (++answers === 10) someAnswered();
    };
    const outcomes = sent.map((events) =>
      send(`${server.url}/v1/events`, {
        key: SERVER_KEY,
        contentType: "application/x-ndjson",
        body: events.map((event) => JSON.stringify(event)).join("\n"),
      }).then(
        (answer) => {
          countAnswer();
          return answer;
        },
        (error: unknown) => {
          countAnswer();
          return error instanceof Error ? error : new Error(String(error));
        },
      ),
    );
    await answered;
    await server.stop();
    const results = await Promise.all(outcomes);

    const acknowledged: number[] = [];
    results.forEach((result, request) => {
      if (result instanceof Error) return;
      if (result.status >= 200 && result.status < 300) {
        expect(result.json).toEqual({ accepted: PER_REQUEST, rejected: [] });
        acknowledged.push(request);
      } else {
        // Turned away while closing: an ErrorBody saying so, with Retry-After.
        expect(result.status, result.text).toBe(503);
        expect(ingestAnswerProblems(result)).toEqual([]);
        expect(result.headers.get("retry-after")).toBe("1");
      }
    });
    expect(acknowledged.length).toBeGreaterThan(0);

    const reopened = await startTestServer({ dataDir });
    try {
      const after = await stats(reopened);
      expect(after.totalEvents).toBeGreaterThanOrEqual(acknowledged.length * PER_REQUEST);
      expect(after.totalEvents).toBeLessThanOrEqual(REQUESTS * PER_REQUEST);
      expect(after.totalEvents % PER_REQUEST).toBe(0);
      for (const request of acknowledged) {
        const visitor = await get(reopened, `/v1/visitors/s-${request}`);
        expect(visitor.status, `s-${request}`).toBe(200);
        const items = (visitor.json as { history: { item_id: string }[] }).history.map(
          (entry) => entry.item_id,
        );
        expect(items.sort(), `s-${request}`).toEqual(sent[request]!.map((_, index) => `sku-${index}`));
      }
      // Sending every batch again: the acknowledged ones are duplicates by event_id, nothing is counted twice.
      for (const events of sent) expect((await postNdjson(reopened, events)).status).toBe(200);
      const resent = await stats(reopened);
      expect(resent.totalEvents).toBe(REQUESTS * PER_REQUEST);
    } finally {
      await reopened.stop();
    }
  });
});
