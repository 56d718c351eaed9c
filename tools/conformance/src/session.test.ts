import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingToolchain, PLAYERS, type Player, play, sourceExists } from "./players.js";
import { loadSession, type PlayedRequest, SESSION_PATH } from "./session.js";
import { type SibylServer, startSibylServer } from "@sibyl/test-support";

const session = loadSession();
const sessionPath = fileURLToPath(SESSION_PATH);

// With CI set every language must play; elsewhere a missing toolchain leaves its language out, loudly, so the test
// still runs on a machine with only Node.js. The TypeScript player needs nothing more and always plays.
const banner = "!".repeat(78);
const players = PLAYERS.filter((player) => {
  const missing = missingToolchain(player);
  if (missing === undefined || process.env.CI) return true;
  console.warn(
    `${banner}\nSKIPPED: the ${player.language} player did not play: ${missing}.\n` +
      `Install ${player.toolchain?.command} to run it; in CI it is required.\n${banner}`,
  );
  return false;
});

const visitorOf = (player: Player) => `${player.prefix}-visitor-1`;

describe("one scripted session, played by every client against one server", () => {
  let server: SibylServer;
  const played = new Map<Player, PlayedRequest[]>();

  beforeAll(async () => {
    server = await startSibylServer({ from: import.meta.url });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("the server takes the catalog and the earlier shoppers' traffic", async () => {
    const response = await fetch(`${server.url}/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.serverKey}`, "content-type": "application/x-ndjson" },
      body: session.catalog.map((event) => `${JSON.stringify(event)}\n`).join(""),
    });
    expect(await response.json()).toEqual({ accepted: session.catalog.length, rejected: [] });
  });

  for (const player of players) {
    it(`the ${player.language} player tracks the session`, async () => {
      expect(missingToolchain(player), `${player.language} is required when CI is set`).toBeUndefined();
      expect(sourceExists(player), `${player.source} is missing`).toBe(true);
      const run = await play(player, {
        baseUrl: server.url,
        key: server.trackingKey,
        session: sessionPath,
        visitor: visitorOf(player),
        phase: "track",
      });
      expect(run.status, `exit status; stderr:\n${run.stderr}`).toBe(0);
      const visitor = await fetch(`${server.url}/v1/visitors/${visitorOf(player)}`, {
        headers: { authorization: `Bearer ${server.serverKey}` },
      });
      expect(visitor.status).toBe(200);
    });
  }

  for (const player of players) {
    it(`the ${player.language} player asks for every request`, async () => {
      const run = await play(player, {
        baseUrl: server.url,
        key: server.trackingKey,
        session: sessionPath,
        visitor: visitorOf(player),
        phase: "recommend",
      });
      expect(run.status, `exit status; stderr:\n${run.stderr}`).toBe(0);
      const lines = run.stdout
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as PlayedRequest);
      expect(lines.map((line) => line.placement)).toEqual(
        session.requests.map((request) => request.placement),
      );
      played.set(player, lines);
    });
  }

  for (const player of players) {
    it(`the ${player.language} player exits non-zero when the server refuses its events`, async () => {
      const run = await play(player, {
        baseUrl: server.url,
        key: "pk_not_a_key_of_this_server",
        session: sessionPath,
        visitor: `${player.prefix}-refused`,
        phase: "track",
      });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain("invalid_key");
    });
  }

  // The engine orders equal scores by a hash of each response's rec_id, so two clients may legitimately list tied
  // items in different orders. The session must therefore leave no ties, or the comparison below would flake; when
  // an engine change creates one, this says so instead (add traffic to session.json's catalog to separate them).
  it("the session leaves no tied scores, so every list has one right order", async () => {
    for (const request of session.requests) {
      const response = await fetch(`${server.url}/v1/recommend`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.serverKey}`, "content-type": "application/json" },
        body: JSON.stringify({
          placement: request.placement,
          user_info: { visitor_id: visitorOf(PLAYERS[0]!) },
          context_item_ids: request.context_items,
          count: request.count,
        }),
      });
      const { items } = (await response.json()) as { items: { item_id: string; score: number }[] };
      const scores = items.map((item) => item.score);
      expect(new Set(scores).size, `${request.placement}: ${JSON.stringify(items)}`).toBe(scores.length);
    }
  });

  it("every client gets the same recommendations, none of them empty", () => {
    const typescript = played.get(PLAYERS[0]!);
    expect(typescript, "the TypeScript player's recommendations").toBeDefined();
    for (const line of typescript!) expect(line.items.length, line.placement).toBeGreaterThan(0);
    for (const player of players) expect(played.get(player), player.language).toEqual(typescript);
  });

  it("the lists follow from the session: the visitor's own views and purchases", () => {
    const lists = new Map(played.get(PLAYERS[0]!)?.map((line) => [line.placement, line.items]));
    expect(lists.get("recently_viewed")).toEqual([
      "headlamp",
      "stove-gas",
      "bag-synth",
      "mat-foam",
      "tent-3p",
    ]);
    expect(lists.get("buy_it_again")).toEqual(["mat-foam", "tent-3p"]);
    expect(lists.get("cart_fbt")?.slice(0, 2)).toEqual(["gas-can", "pot-set"]);
    expect(lists.get("product_page_similar")?.[0]).toBe("mat-air");
  });
});
