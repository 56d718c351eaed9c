import { type EventGroup, type EventType, eventRegistry } from "@sibyl/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../server/start-server.js";
import {
  EVENT_TYPES,
  errorBodyProblems,
  get,
  INVALID_KEY,
  ingestAnswerProblems,
  postNdjson,
  SERVER_KEY,
  send,
  startTestServer,
  stats,
  TRACKING_KEY,
  validVectors,
  view,
} from "./test-support.js";

type KeyName = "none" | "invalid" | "tracking" | "server";
const KEYS: Record<KeyName, string | undefined> = {
  none: undefined,
  invalid: INVALID_KEY,
  tracking: TRACKING_KEY,
  server: SERVER_KEY,
};

/** One event of each group whose valid vector the engine takes as it is. */
const REPRESENTATIVES: Record<EventGroup, EventType> = {
  catalog: "ItemUpsert",
  behaviour: "DetailItemView",
  reco: "RecoShow",
  config: "PlacementUpsert",
  identity: "UserMerge",
};

/** A vector with its event_id made unique, so a second send is not a duplicate. */
function fresh(eventType: EventType, tag: string) {
  const event = { ...validVectors(eventType)[0]! } as Record<string, unknown>;
  if (event.event_id !== undefined) event.event_id = `${String(event.event_id)}-${tag}`;
  return event;
}

function postEvent(server: RunningServer, event: unknown, key: string | undefined) {
  return send(`${server.url}/v1/events`, {
    ...(key === undefined ? {} : { key }),
    contentType: "application/json",
    body: JSON.stringify(event),
  });
}

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe("event groups × keys", () => {
  it("covers every group with a representative of that group", () => {
    for (const [group, eventType] of Object.entries(REPRESENTATIVES))
      expect(eventRegistry[eventType].group).toBe(group);
    expect(eventRegistry.Refund).toMatchObject({ group: "behaviour", tracking: false });
  });

  for (const [group, eventType] of [...Object.entries(REPRESENTATIVES), ["behaviour (Refund)", "Refund"]] as [
    string,
    EventType,
  ][]) {
    const trackingAllowed = eventRegistry[eventType].tracking;
    it(`${group}: ${eventType} — none 401, invalid 401, tracking ${trackingAllowed ? 200 : 403}, server 200`, async () => {
      for (const keyName of ["none", "invalid", "tracking", "server"] as KeyName[]) {
        const before = await stats(server);
        const answer = await postEvent(server, fresh(eventType, keyName), KEYS[keyName]);
        const expected =
          keyName === "none" || keyName === "invalid"
            ? 401
            : keyName === "tracking" && !trackingAllowed
              ? 403
              : 200;
        expect(answer.status, `${eventType} with ${keyName} key: ${answer.text}`).toBe(expected);
        expect(ingestAnswerProblems(answer)).toEqual([]);
        const after = await stats(server);
        if (expected === 200) {
          expect(answer.json).toEqual({ accepted: 1, rejected: [] });
          expect((after.events[eventType] ?? 0) - (before.events[eventType] ?? 0)).toBe(1);
        } else {
          expect(after).toEqual(before);
        }
        if (keyName === "none") expect(answer.json).toMatchObject({ error: "missing_key" });
        if (keyName === "invalid") expect(answer.json).toMatchObject({ error: "invalid_key" });
        if (expected === 403)
          expect(answer.json).toMatchObject({
            accepted: 0,
            rejected: [{ line: 1, event_type: eventType, errors: [{ pointer: "/event_type" }] }],
          });
      }
    });
  }

  it("every event type: a tracking key is refused exactly the types that are not tracking-allowed", async () => {
    for (const eventType of EVENT_TYPES) {
      const event = fresh(eventType, "matrix");
      for (const keyName of ["none", "invalid"] as KeyName[]) {
        expect((await postEvent(server, event, KEYS[keyName])).status, `${eventType} ${keyName}`).toBe(401);
      }
      const tracking = await postEvent(server, event, TRACKING_KEY);
      expect(ingestAnswerProblems(tracking)).toEqual([]);
      if (eventRegistry[eventType].tracking) {
        // Accepted, or refused by the engine (a vector naming a placement this server lacks) — never for the key.
        expect([200, 400], `${eventType}: ${tracking.text}`).toContain(tracking.status);
        expect(tracking.text).not.toMatch(/needs a server key/);
      } else {
        expect(tracking.status, eventType).toBe(403);
        expect(tracking.json).toMatchObject({ rejected: [{ errors: [{ pointer: "/event_type" }] }] });
      }
    }
  });

  it("keys are read from Authorization: Bearer, X-Sibyl-Key, and (tracking only) ?key=", async () => {
    const body = JSON.stringify(view("v-k", "sku-k"));
    const post = (path: string, headers: Record<string, string>) =>
      send(`${server.url}${path}`, { contentType: "application/json", body, headers });
    expect((await post("/v1/events", { "x-sibyl-key": SERVER_KEY })).status).toBe(200);
    expect((await post("/v1/events", { "x-sibyl-key": TRACKING_KEY })).status).toBe(200);
    expect((await post("/v1/events", { authorization: `Basic ${SERVER_KEY}` })).status).toBe(401);
    expect((await post("/v1/events", { authorization: `Bearer ${TRACKING_KEY.slice(0, -1)}` })).status).toBe(
      401,
    );
    expect((await post(`/v1/events?key=${TRACKING_KEY}`, {})).status).toBe(200);
    expect((await post(`/v1/events?key=${SERVER_KEY}`, {})).status).toBe(401);
    expect((await post(`/v1/events?key=${TRACKING_KEY}&key=${TRACKING_KEY}`, {})).status).toBe(401);
  });
});

describe("inspection endpoints × keys", () => {
  it("answer 401 without a valid key, 403 to a tracking key and 200 to a server key", async () => {
    expect(
      (
        await postNdjson(server, [
          { event_type: "ItemUpsert", item_id: "sku-i", item_type: "product", title: "I" },
          view("v-i", "sku-i"),
        ])
      ).status,
    ).toBe(200);
    for (const path of ["/v1/items/sku-i", "/v1/visitors/v-i", "/v1/placements", "/v1/stats"]) {
      for (const [keyName, expected] of [
        ["none", 401],
        ["invalid", 401],
        ["tracking", 403],
        ["server", 200],
      ] as [KeyName, number][]) {
        const answer = await get(server, path, KEYS[keyName] ?? null);
        expect(answer.status, `${path} with ${keyName} key`).toBe(expected);
        if (expected !== 200) expect(errorBodyProblems(answer.json)).toEqual([]);
        if (expected === 403) expect(answer.json).toMatchObject({ error: "server_key_required" });
      }
    }
    const placements = await get(server, "/v1/placements");
    expect(
      (placements.json as { placements: { placement_id: string }[] }).placements.map((p) => p.placement_id),
    ).toContain("trending");
  });
});
