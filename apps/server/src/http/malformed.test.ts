import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../server/start-server.js";
import {
  type Answer,
  errorBodyProblems,
  get,
  ingestAnswerProblems,
  isJsonPointer,
  postNdjson,
  SERVER_KEY,
  type Stats,
  send,
  startTestServer,
  stats,
  view,
} from "./test-support.js";

const DEEP = 100_000;
const VALID = JSON.stringify(view("v-m", "sku-m"));
const utf8 = (text: string) => Buffer.from(text, "utf8");
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === "string" ? utf8(part) : Buffer.from(part))));

/** A RecoRequest whose filter is nested `depth` `not`s deep, as text (JSON.stringify would overflow the stack). */
function deepFilterRequest(depth: number, withEventType = true): string {
  return (
    `{${withEventType ? '"event_type":"RecoRequest",' : ""}"user_info":{"visitor_id":"v-m"},"placement":"trending","filter":` +
    '{"not":'.repeat(depth) +
    '{"eq":{"field":"brand","value":"x"}}' +
    "}".repeat(depth) +
    "}"
  );
}

const view$ = (inner: string) =>
  `{"event_type":"DetailItemView","user_info":{"visitor_id":"v-m"${inner}},"item":{"item_id":"sku-m"}}`;

/** [name, body, the pointer expected for the bad line, or undefined to check only that there is one]. */
const LINES: [string, string | Buffer, string | undefined][] = [
  ["invalid JSON", '{"event_type": "DetailItemView",', ""],
  ["a trailing comma", `${VALID.slice(0, -1)},}`, ""],
  ["single quotes", "{'event_type': 'DetailItemView'}", ""],
  ["wrong type of a field", view$("").replace('"v-m"', "5"), "/user_info/visitor_id"],
  ["event_type a number", '{"event_type":42}', "/event_type"],
  ["event_type missing", '{"user_info":{"visitor_id":"v"}}', "/event_type"],
  ["unknown event_type", '{"event_type":"Teleport","user_info":{"visitor_id":"v"}}', "/event_type"],
  ["event_type of 100 000 characters", JSON.stringify({ event_type: "T".repeat(100_000) }), "/event_type"],
  ["a line over maxLineBytes", JSON.stringify({ event_type: "T".repeat(3 << 20) }), ""],
  [
    "duplicate keys (the last wins)",
    '{"event_type":"DetailItemView","event_type":"Teleport"}',
    "/event_type",
  ],
  [
    "string longer than its maxLength",
    JSON.stringify(view("v".repeat(129), "sku-m")),
    "/user_info/visitor_id",
  ],
  [
    "a property name of 10 000 characters",
    JSON.stringify({ ...view("v-m", "sku-m"), ["k".repeat(10_000)]: 1 }),
    "",
  ],
  ["a number beyond double range", VALID.replace("{", '{"event_time":1e400,'), "/event_time"],
  ["a negative event_time", VALID.replace("{", '{"event_time":-1,'), "/event_time"],
  // Beyond the last event_time the schema allows (2106-02-07: the engine keeps seconds in 32 bits).
  ["an event_time in 2529", VALID.replace("{", '{"event_time":17646000305000,'), "/event_time"],
  ["an event_time in 9999", VALID.replace("{", '{"event_time":253402300799999,'), "/event_time"],
  ["__proto__ at the top", VALID.replace("{", '{"__proto__":{"polluted":"yes"},'), "/__proto__"],
  ["__proto__ in user_info", view$(',"__proto__":{"polluted":"yes"}'), "/user_info/__proto__"],
  [
    "__proto__ in the item",
    VALID.replace('"item":{', '"item":{"__proto__":{"polluted":"yes"},'),
    "/item/__proto__",
  ],
  [
    "__proto__ in an attributes map",
    VALID.replace("{", '{"context":{"attributes":{"__proto__":{"polluted":"yes"}}},'),
    undefined,
  ],
  [
    "constructor at the top",
    VALID.replace("{", '{"constructor":{"prototype":{"polluted":"yes"}},'),
    "/constructor",
  ],
  [
    "constructor in user_info",
    view$(',"constructor":{"prototype":{"polluted":"yes"}}'),
    "/user_info/constructor",
  ],
  [
    "constructor.prototype in an attributes map",
    VALID.replace("{", '{"context":{"attributes":{"constructor":{"prototype":{"polluted":"yes"}}}},'),
    "/context/attributes/constructor",
  ],
  ["100 000 nested arrays", `${"[".repeat(DEEP)}${"]".repeat(DEEP)}`, ""],
  ["100 000 nested objects", `${'{"a":'.repeat(DEEP)}1${"}".repeat(DEEP)}`, "/event_type"],
  [
    "100 000 nested arrays inside an event",
    VALID.replace("{", `{"context":{"attributes":{"a":${"[".repeat(DEEP)}${"]".repeat(DEEP)}}},`),
    "/context/attributes/a",
  ],
  ["a Filter 100 000 nots deep", deepFilterRequest(DEEP), ""],
  ["a Filter 40 nots deep (beyond the engine's 32)", deepFilterRequest(40), undefined],
  [
    "invalid UTF-8",
    bytes('{"event_type":"DetailItemView","user_info":{"visitor_id":"', [0xff, 0xfe], '"}}'),
    "",
  ],
  ["an overlong UTF-8 encoding", bytes('{"event_type":"', [0xc0, 0xaf], '"}'), ""],
  ["a lone surrogate in UTF-8", bytes('{"event_type":"', [0xed, 0xa0, 0x80], '"}'), ""],
  ["a NUL byte outside a string", bytes('{"event_type":"DetailItemView"', [0], "}"), ""],
  ["a NUL byte inside a string", bytes('{"event_type":"Detail', [0], 'ItemView"}'), ""],
  ["a lone NUL byte", bytes([0]), ""],
  ["null", "null", ""],
  ["a number", "42", ""],
  ["a string", '"DetailItemView"', ""],
  ["an array holding an event", `[${VALID}]`, ""],
];

/** Whole bodies that hold no event at all. */
const EMPTY_BODIES: [string, string | Buffer][] = [
  ["an empty body", ""],
  ["only newlines", "\n\n\n\n"],
  ["only CRLFs and spaces", "\r\n  \r\n\t\r\n"],
  ["only a byte order mark", "\uFEFF"],
];

function expectLineReport(answer: Answer, line: number, pointer: string | undefined, name: string) {
  expect(answer.status, `${name}: ${answer.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(answer.status, name).toBeLessThan(500);
  expect(ingestAnswerProblems(answer), name).toEqual([]);
  const { rejected } = answer.json as {
    rejected: { line: number; errors: { pointer: string; message: string }[] }[];
  };
  expect(
    rejected.map((entry) => entry.line),
    name,
  ).toEqual([line]);
  const error = rejected[0]!.errors[0]!;
  expect(isJsonPointer(error.pointer), name).toBe(true);
  if (pointer !== undefined) expect(error.pointer, `${name}: ${error.message}`).toBe(pointer);
  expect(error.message.length, name).toBeGreaterThan(0);
}

let server: RunningServer;
let baseline: { stats: Stats; hash: string };

async function snapshotState() {
  return { stats: await stats(server), hash: server.context.engine!.stateHash() };
}

async function expectAliveAndUnchanged() {
  expect((await get(server, "/healthz", null)).status).toBe(200);
  expect(await snapshotState()).toEqual(baseline);
}

beforeAll(async () => {
  // Lines long enough for the deeply nested cases to reach the parser rather than the line limit.
  server = await startTestServer({ maxLineBytes: 2 << 20 });
  expect((await postNdjson(server, [view("v-0", "sku-0"), view("v-1", "sku-1")])).status).toBe(200);
  baseline = await snapshotState();
});
afterAll(() => server.stop());

describe("malformed input to POST /v1/events", () => {
  it("rejects each bad NDJSON line alone (line 1) with a JSON pointer", async () => {
    for (const [name, body, pointer] of LINES) {
      const answer = await send(`${server.url}/v1/events`, {
        key: SERVER_KEY,
        contentType: "application/x-ndjson",
        body,
      });
      expect(answer.status, name).toBe(400);
      expectLineReport(answer, 1, pointer, name);
    }
    await expectAliveAndUnchanged();
  });

  it("rejects each bad line in the middle of a batch by its line number, the good lines being taken", async () => {
    for (const [name, body, pointer] of LINES) {
      const good = [VALID, VALID].map((line, index) => line.replace('"sku-m"', `"sku-batch-${index}"`));
      const answer = await send(`${server.url}/v1/events`, {
        key: SERVER_KEY,
        contentType: "application/x-ndjson",
        body: Buffer.concat([utf8(`${good[0]}\n\n`), Buffer.from(body), utf8(`\n${good[1]}\n`)]),
      });
      expect(answer.status, name).toBe(207);
      expect(ingestAnswerProblems(answer), name).toEqual([]);
      expect((answer.json as { accepted: number }).accepted, name).toBe(2);
      const { rejected } = answer.json as { rejected: { line: number; errors: { pointer: string }[] }[] };
      expect(
        rejected.map((entry) => entry.line),
        name,
      ).toEqual([3]);
      if (pointer !== undefined) expect(rejected[0]!.errors[0]!.pointer, name).toBe(pointer);
    }
    // The good lines changed the state; take that as the new baseline.
    baseline = await snapshotState();
  });

  it("rejects each as a JSON document (line 1) too", async () => {
    for (const [name, body, pointer] of LINES) {
      const answer = await send(`${server.url}/v1/events`, {
        key: SERVER_KEY,
        contentType: "application/json",
        body,
      });
      if (name === "an array holding an event") {
        // As a JSON document an array is a batch: this one holds a valid event, so it is the one accepted case.
        expect(answer.status).toBe(200);
        continue;
      }
      // A JSON document has no line limit: the over-long line reaches validation.
      expectLineReport(answer, 1, name === "a line over maxLineBytes" ? "/event_type" : pointer, name);
    }
    baseline = await snapshotState();
    await expectAliveAndUnchanged();
  });

  it("answers 400 with an ErrorBody for bodies that hold no event", async () => {
    for (const [name, body] of EMPTY_BODIES) {
      for (const contentType of ["application/x-ndjson", "text/plain", "application/json"]) {
        const answer = await send(`${server.url}/v1/events`, { key: SERVER_KEY, contentType, body });
        expect(answer.status, `${name} as ${contentType}: ${answer.text}`).toBe(400);
        expect(ingestAnswerProblems(answer), name).toEqual([]);
        const report = answer.json as { rejected?: { line: number }[]; errors?: { pointer: string }[] };
        // As JSON it is one document that does not parse (line 1); as NDJSON a batch of no events.
        if (report.rejected) expect(report.rejected.map((line) => line.line)).toEqual([1]);
        else expect(report.errors?.[0]?.pointer).toBe("");
      }
    }
    for (const body of ["[]", "  [ ]  "]) {
      const answer = await send(`${server.url}/v1/events`, {
        key: SERVER_KEY,
        contentType: "application/json",
        body,
      });
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ error: "empty_batch" });
    }
    // No content type and no body at all.
    const nothing = await send(`${server.url}/v1/events`, { key: SERVER_KEY, method: "POST" });
    expect(nothing.status).toBe(400);
    expect(ingestAnswerProblems(nothing)).toEqual([]);
    await expectAliveAndUnchanged();
  });

  it("never lets a __proto__ or constructor key reach a prototype", () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
  });
});

describe("malformed input to POST /v1/recommend", () => {
  const valid = '{"user_info":{"visitor_id":"v-m"},"placement":"trending"}';
  const cases: [string, string | Buffer, number, string | undefined][] = [
    ["invalid JSON", '{"user_info":', 400, ""],
    ["an empty body", "", 400, ""],
    ["only newlines", "\n\n", 400, ""],
    ["a NUL byte", bytes('{"user_info":', [0], "}"), 400, ""],
    ["invalid UTF-8", bytes('{"user_info":{"visitor_id":"', [0xff], '"},"placement":"trending"}'), 400, ""],
    ["__proto__", valid.replace("{", '{"__proto__":{"polluted":"yes"},'), 400, "/__proto__"],
    [
      "constructor",
      valid.replace("{", '{"constructor":{"prototype":{"polluted":"yes"}},'),
      400,
      "/constructor",
    ],
    ["a Filter 100 000 nots deep", deepFilterRequest(DEEP, false), 400, ""],
    ["a Filter 40 nots deep", deepFilterRequest(40, false), 400, undefined],
    ["100 000 nested arrays", `${"[".repeat(DEEP)}${"]".repeat(DEEP)}`, 400, ""],
    ["a placement name too long", valid.replace("trending", "t".repeat(70)), 400, "/placement"],
    ["an unknown placement", valid.replace("trending", "nowhere"), 404, "/placement"],
    ["an event_time in 2529", valid.replace("{", '{"event_time":17646000305000,'), 400, "/event_time"],
  ];

  it("answers each with a 4xx ErrorBody naming a JSON pointer, state unchanged", async () => {
    for (const [name, body, status, pointer] of cases) {
      const answer = await send(`${server.url}/v1/recommend`, {
        key: SERVER_KEY,
        contentType: "application/json",
        body,
      });
      expect(answer.status, `${name}: ${answer.text.slice(0, 300)}`).toBe(status);
      expect(errorBodyProblems(answer.json), name).toEqual([]);
      const { errors } = answer.json as { errors?: { pointer: string }[] };
      expect(errors?.length, name).toBeGreaterThan(0);
      if (pointer !== undefined) expect(errors?.[0]?.pointer, name).toBe(pointer);
      else expect(errors?.[0]?.pointer.startsWith("/filter"), name).toBe(true);
    }
    await expectAliveAndUnchanged();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
