import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../server/start-server.js";
import {
  type Answer,
  EVENT_TYPES,
  errorBodyProblems,
  get,
  ingestAnswerProblems,
  postJson,
  postNdjson,
  rejectedPointers,
  SERVER_KEY,
  send,
  startTestServer,
  stats,
  TRACKING_KEY,
  validVectors,
  view,
} from "./test-support.js";

const itemUpsert = (id: string) => ({
  event_type: "ItemUpsert",
  item_id: id,
  item_type: "product",
  title: id,
});

/** A request over node:http, for what fetch cannot send: a chunked body of known bytes, no content type. */
function rawPost(
  url: string,
  headers: Record<string, string>,
  chunks: (string | Buffer)[],
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: unknown }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: "POST", headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        text += chunk;
      });
      response.on("end", () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
        resolve({ status: response.statusCode!, headers: response.headers, json });
      });
    });
    request.on("error", reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}

function expectWellFormed(answer: Answer) {
  expect(ingestAnswerProblems(answer)).toEqual([]);
}

describe("POST /v1/events", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it("accepts the valid NDJSON lines and reports each bad one with its line and a JSON pointer", async () => {
    const before = await stats(server);
    const answer = await postNdjson(server, [
      view("v-1", "sku-1"),
      "{not json",
      "",
      view("v-1", "sku-2"),
      { event_type: "AddToCart", user_info: { visitor_id: "v-1" }, items: [] },
      { event_type: "Teleport" },
      { event_type: "DetailItemView", item: { item_id: "sku-1" } },
      view("v-1", "sku-3", { colour: "red" }),
      view("v-2", "sku-1"),
    ]);
    expect(answer.status).toBe(207);
    expectWellFormed(answer);
    expect(answer.json).toMatchObject({ accepted: 3 });
    expect(rejectedPointers(answer.json)).toEqual([
      [2, ""],
      [5, "/items"],
      [6, "/event_type"],
      [7, "/user_info"],
      [8, "/colour"],
    ]);
    const { rejected } = answer.json as {
      rejected: { event_type?: string; errors: { message: string }[] }[];
    };
    expect(rejected.map((line) => line.event_type)).toEqual([
      undefined,
      "AddToCart",
      "Teleport",
      "DetailItemView",
      "DetailItemView",
    ]);
    expect(rejected[0]!.errors[0]!.message).toMatch(/^is not valid JSON/);
    expect(rejected[3]!.errors[0]!.message).toBe("is required");

    const after = await stats(server);
    expect(after.totalEvents - before.totalEvents).toBe(3);
    expect((after.events.DetailItemView ?? 0) - (before.events.DetailItemView ?? 0)).toBe(3);
    const visitor = await get(server, "/v1/visitors/v-1");
    expect(visitor.status).toBe(200);
    expect(
      (visitor.json as { history: { item_id: string }[] }).history.map((entry) => entry.item_id).sort(),
    ).toEqual(["sku-1", "sku-2"]);
    expect((await get(server, "/v1/visitors/v-2")).status).toBe(200);
    const unknown = await get(server, "/v1/visitors/nobody");
    expect(unknown.status).toBe(404);
    expect(errorBodyProblems(unknown.json)).toEqual([]);
  });

  it("answers 200 when every line is accepted, 400 when none is, 403 when the key may send none", async () => {
    const all = await postNdjson(server, [view("v-3", "sku-1"), view("v-3", "sku-2")]);
    expect(all.status).toBe(200);
    expect(all.json).toEqual({ accepted: 2, rejected: [] });

    const none = await postNdjson(server, ["[]", "42", { event_type: "HomePageView" }]);
    expect(none.status).toBe(400);
    expectWellFormed(none);
    expect(rejectedPointers(none.json)).toEqual([
      [1, ""],
      [2, ""],
      [3, "/user_info"],
    ]);

    const forbidden = await postNdjson(
      server,
      [itemUpsert("sku-9"), { ...itemUpsert("sku-8") }],
      TRACKING_KEY,
    );
    expect(forbidden.status).toBe(403);
    expectWellFormed(forbidden);
    expect(forbidden.json).toMatchObject({
      accepted: 0,
      rejected: [
        { line: 1, event_type: "ItemUpsert", errors: [{ pointer: "/event_type" }] },
        { line: 2, event_type: "ItemUpsert", errors: [{ pointer: "/event_type" }] },
      ],
    });

    const forbiddenAndInvalid = await postNdjson(server, [itemUpsert("sku-9"), "nope"], TRACKING_KEY);
    expect(forbiddenAndInvalid.status).toBe(400);
    expectWellFormed(forbiddenAndInvalid);

    const forbiddenAndValid = await postNdjson(
      server,
      [itemUpsert("sku-9"), view("v-3", "sku-3")],
      TRACKING_KEY,
    );
    expect(forbiddenAndValid.status).toBe(207);
    expect(forbiddenAndValid.json).toMatchObject({ accepted: 1, rejected: [{ line: 1 }] });

    // Refused by the engine (an unknown placement), not by the schema.
    const refused = await postNdjson(server, [
      { event_type: "RecoRequest", user_info: { visitor_id: "v-3" }, placement: "no_such_placement" },
    ]);
    expect(refused.status).toBe(400);
    expect(rejectedPointers(refused.json)).toEqual([[1, "/placement"]]);

    // A filter the engine cannot apply is pointed at where it is: the placement's own filter or a boost's.
    const placement = (filter: unknown, boosts: unknown[]) => ({
      event_type: "PlacementUpsert",
      placement_id: "fuzzed",
      strategies: [{ strategy: "popular" }],
      filter,
      boosts,
    });
    const textAsNumber = { eq: { field: "brand", value: -1 } };
    const fine = { eq: { field: "in_stock", value: true } };
    const filters = await postNdjson(server, [
      placement(fine, [
        { filter: fine, factor: 2 },
        { filter: textAsNumber, factor: 2 },
      ]),
      placement(textAsNumber, [{ filter: fine, factor: 2 }]),
      placement({ all: [fine, textAsNumber] }, []),
      {
        event_type: "RecoRequest",
        user_info: { visitor_id: "v-3" },
        placement: "trending",
        filter: textAsNumber,
      },
    ]);
    expect(filters.status).toBe(400);
    expect(rejectedPointers(filters.json)).toEqual([
      [1, "/boosts/1/filter/eq/value"],
      [2, "/filter/eq/value"],
      [3, "/filter/all/1/eq/value"],
      [4, "/filter/eq/value"],
    ]);
    expect((await get(server, "/v1/items/sku-9")).status).toBe(404);
  });

  it("takes one event as a JSON object and several as a JSON array, lines being array positions", async () => {
    const one = await postJson(server, itemUpsert("sku-10"));
    expect(one.status).toBe(200);
    expect(one.json).toEqual({ accepted: 1, rejected: [] });
    expect((await get(server, "/v1/items/sku-10")).status).toBe(200);

    const array = await postJson(server, [
      view("v-4", "sku-10"),
      { event_type: "DetailItemView", user_info: { visitor_id: "" }, item: { item_id: "sku-10" } },
      view("v-4", "sku-11"),
      null,
    ]);
    expect(array.status).toBe(207);
    expectWellFormed(array);
    expect(array.json).toMatchObject({ accepted: 2 });
    expect(rejectedPointers(array.json)).toEqual([
      [2, "/user_info/visitor_id"],
      [4, ""],
    ]);

    const charset = await send(`${server.url}/v1/events`, {
      key: SERVER_KEY,
      contentType: "Application/JSON; charset=utf-8",
      body: JSON.stringify(view("v-4", "sku-12")),
    });
    expect(charset.status).toBe(200);
  });

  it("reads text/plain NDJSON with a tracking key in ?key=, and refuses a server key there", async () => {
    const body = `${JSON.stringify(view("v-5", "sku-1"))}\n${JSON.stringify(view("v-5", "sku-2"))}\n`;
    const beacon = await send(`${server.url}/v1/events?key=${TRACKING_KEY}`, {
      contentType: "text/plain;charset=UTF-8",
      body,
    });
    expect(beacon.status).toBe(200);
    expect(beacon.json).toEqual({ accepted: 2, rejected: [] });

    const before = await stats(server);
    const serverKeyInQuery = await send(`${server.url}/v1/events?key=${SERVER_KEY}`, {
      contentType: "text/plain",
      body,
    });
    expect(serverKeyInQuery.status).toBe(401);
    expect(serverKeyInQuery.json).toMatchObject({ error: "invalid_key" });
    expect(errorBodyProblems(serverKeyInQuery.json)).toEqual([]);
    const serverKeyInQueryForStats = await send(`${server.url}/v1/stats?key=${SERVER_KEY}`);
    expect(serverKeyInQueryForStats.status).toBe(401);
    expect((await send(`${server.url}/v1/stats?key=${TRACKING_KEY}`)).status).toBe(403);

    const catalogByBeacon = await send(`${server.url}/v1/events?key=${TRACKING_KEY}`, {
      contentType: "text/plain",
      body: JSON.stringify(itemUpsert("sku-20")),
    });
    expect(catalogByBeacon.status).toBe(403);
    expect(await stats(server)).toEqual(before);

    const header = await send(`${server.url}/v1/events`, {
      headers: { "x-sibyl-key": TRACKING_KEY },
      contentType: "text/plain",
      body,
    });
    expect(header.status).toBe(200);
  });
});

describe("GET /v1/schemas", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it("lists every event type with its group, key rule and schema, without a key", async () => {
    const answer = await get(server, "/v1/schemas", null);
    expect(answer.status).toBe(200);
    const body = answer.json as {
      event_types: {
        event_type: string;
        group: string;
        tracking: boolean;
        description: string;
        schema: string;
      }[];
      schemas: Record<string, { title?: string }>;
    };
    expect(body.event_types.map((type) => type.event_type).sort()).toEqual(EVENT_TYPES);
    expect(body.event_types.find((type) => type.event_type === "Refund")).toMatchObject({
      group: "behaviour",
      tracking: false,
      schema: "events/Refund.schema.json",
    });
    for (const type of body.event_types) {
      expect(typeof type.description).toBe("string");
      expect(body.schemas[type.schema]?.title).toBe(type.event_type);
    }
    expect(Object.keys(body.schemas)).toEqual(expect.arrayContaining(["api/IngestResult.schema.json"]));
  });

  it("serves one event type's schema and answers 404 for any other name", async () => {
    const answer = await get(server, "/v1/schemas/DetailItemView", null);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ title: "DetailItemView", type: "object" });
    for (const name of ["Teleport", "__proto__", "constructor", "toString", "detailitemview"]) {
      const missing = await get(server, `/v1/schemas/${name}`, null);
      expect(missing.status, name).toBe(404);
      expect(missing.json).toMatchObject({ error: "unknown_event_type" });
      expect(errorBodyProblems(missing.json)).toEqual([]);
    }
  });
});

describe("limits", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ maxBodyBytes: 4096, maxLineBytes: 300, maxBatchEvents: 5 });
  });
  afterAll(() => server.stop());

  it("answers 413 with an ErrorBody for a body over maxBodyBytes, declared or chunked", async () => {
    const lines = Array.from({ length: 60 }, (_, index) => view(`v-${index}`, `sku-${index}`));
    const declared = await postNdjson(server, lines);
    expect(declared.status).toBe(413);
    expect(declared.json).toMatchObject({ error: "payload_too_large" });
    expect(errorBodyProblems(declared.json)).toEqual([]);

    const chunk = Buffer.from(`${JSON.stringify(view("v-1", "sku-1"))}\n`);
    const chunked = await rawPost(
      `${server.url}/v1/events`,
      { authorization: `Bearer ${SERVER_KEY}`, "content-type": "application/x-ndjson" },
      Array.from({ length: 80 }, () => chunk),
    );
    expect(chunked.status).toBe(413);
    expect(errorBodyProblems(chunked.json)).toEqual([]);
    expect((await stats(server)).totalEvents).toBe(0);
  });

  it("answers 413 for more events than maxBatchEvents, blank lines not counted", async () => {
    const six = Array.from({ length: 6 }, (_, index) => view("v-1", `sku-${index}`));
    for (const answer of [await postNdjson(server, six), await postJson(server, six)]) {
      expect(answer.status).toBe(413);
      expect(answer.json).toMatchObject({ error: "batch_too_large" });
      expect(errorBodyProblems(answer.json)).toEqual([]);
    }
    // Bad lines count as lines too.
    expect((await postNdjson(server, [...six.slice(0, 5), "x"])).status).toBe(413);
    expect((await stats(server)).totalEvents).toBe(0);
    const five = await postNdjson(server, [
      "",
      ...six.slice(0, 3),
      "  ",
      "\r",
      "\uFEFF",
      ...six.slice(3, 5),
      "",
    ]);
    expect(five.status).toBe(200);
    expect(five.json).toEqual({ accepted: 5, rejected: [] });
  });

  it("rejects an NDJSON line over maxLineBytes and accepts the others", async () => {
    const long = view("v-long", "x".repeat(120), {
      context: { url: `https://example.com/${"p".repeat(200)}` },
    });
    const answer = await postNdjson(server, [view("v-1", "sku-1"), long, view("v-1", "sku-2")]);
    expect(answer.status).toBe(207);
    expectWellFormed(answer);
    expect(answer.json).toEqual({
      accepted: 2,
      rejected: [{ line: 2, errors: [{ pointer: "", message: "is longer than 300 bytes" }] }],
    });
  });

  it("answers 415 for a content type it does not read", async () => {
    const body = JSON.stringify(view("v-1", "sku-1"));
    for (const contentType of [
      "application/xml",
      "multipart/form-data; boundary=x",
      "application/json-seq",
    ]) {
      const answer = await send(`${server.url}/v1/events`, { key: SERVER_KEY, contentType, body });
      expect(answer.status, contentType).toBe(415);
      expect(answer.json).toMatchObject({ error: "unsupported_media_type" });
      expect(errorBodyProblems(answer.json)).toEqual([]);
    }
    const none = await send(`${server.url}/v1/events`, {
      key: SERVER_KEY,
      body: new TextEncoder().encode(body),
    });
    expect(none.status).toBe(415);
    const long = await send(`${server.url}/v1/events`, {
      key: SERVER_KEY,
      contentType: `application/${"x".repeat(6000)}`,
      body,
    });
    expect(long.status).toBe(415);
    expect(errorBodyProblems(long.json)).toEqual([]);
  });
});

describe("the in-flight limit", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ maxInFlightBytes: 1000 });
  });
  afterAll(() => server.stop());

  const body = (bytes: number) => {
    const line = JSON.stringify(view("v-1", "sku-1"));
    return `${line}${" ".repeat(bytes - line.length)}`;
  };

  it("turns a body larger than the bound away with 503 and Retry-After, taking nothing", async () => {
    const before = await stats(server);
    const answer = await send(`${server.url}/v1/events`, {
      key: SERVER_KEY,
      contentType: "application/x-ndjson",
      body: body(2000),
    });
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("1");
    expect(answer.json).toMatchObject({ error: "overloaded" });
    expect(errorBodyProblems(answer.json)).toEqual([]);

    const chunked = await rawPost(
      `${server.url}/v1/events`,
      { authorization: `Bearer ${SERVER_KEY}`, "content-type": "application/x-ndjson" },
      [body(600), body(600)],
    );
    expect(chunked.status).toBe(503);
    expect(chunked.headers["retry-after"]).toBe("1");
    expect(errorBodyProblems(chunked.json)).toEqual([]);
    expect(await stats(server)).toEqual(before);
  });

  it("gives the bytes back after every request, including aborted uploads", async () => {
    for (let index = 0; index < 20; index++) {
      const answer = await send(`${server.url}/v1/events`, {
        key: SERVER_KEY,
        contentType: "application/x-ndjson",
        body: body(600),
      });
      expect(answer.status).toBe(200);
    }
    // Three uploads that announce 400 bytes each and hang up after a few: 1200 bytes if they were never released.
    const { port } = new URL(server.url);
    for (let index = 0; index < 3; index++) {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(port), "127.0.0.1", () => {
          socket.write(
            `POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${SERVER_KEY}\r\n` +
              "Content-Type: application/json\r\nContent-Length: 400\r\n\r\n{",
            () => {
              socket.destroy();
              resolve();
            },
          );
        });
        socket.on("error", reject);
      });
    }
    // The server notices the hang-ups asynchronously: retry until it has (bounded), then expect acceptance.
    let answer: Answer | undefined;
    for (let attempt = 0; attempt < 200; attempt++) {
      answer = await send(`${server.url}/v1/events`, {
        key: SERVER_KEY,
        contentType: "application/x-ndjson",
        body: body(600),
      });
      if (answer.status !== 503) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(answer?.status).toBe(200);
  });
});

describe("event_time", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it("takes times up to the engine's last second (2106) and refuses later ones per line, nothing half-applied", async () => {
    const last = 4_294_967_295_999;
    const answer = await postNdjson(server, [
      view("v-t", "sku-1", { event_time: last - 1000 }),
      view("v-t", "sku-2", { event_time: last + 1 }),
      { ...validVectors("PurchaseComplete")[0], event_id: "far-future", event_time: 17_646_000_305_000 },
      view("v-t", "sku-4", { event_time: last }),
    ]);
    expect(answer.status).toBe(207);
    expect(ingestAnswerProblems(answer)).toEqual([]);
    expect(answer.json).toMatchObject({ accepted: 2 });
    expect(rejectedPointers(answer.json)).toEqual([
      [2, "/event_time"],
      [3, "/event_time"],
    ]);
    const after = await stats(server);
    expect(after.totalEvents).toBe(2);
    expect(after.now).toBe(last);
    expect((await get(server, "/v1/items/sku-10482")).status).toBe(404);
    const recommend = await send(`${server.url}/v1/recommend`, {
      key: TRACKING_KEY,
      contentType: "application/json",
      body: JSON.stringify({ user_info: { visitor_id: "v-t" }, placement: "trending", event_time: last + 1 }),
    });
    expect(recommend.status).toBe(400);
    expect(recommend.json).toMatchObject({ errors: [{ pointer: "/event_time" }] });
  });
});
