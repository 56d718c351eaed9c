import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { evaluate } from "@sibyl/evaluate";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, browserAvailability, launchBrowser, screenshot } from "./browser.js";
import { ottoEvents, recommendationTraffic, shopEvents } from "./fixtures.js";
import { SERVER_KEY, type ServerProcess, startServer, TRACKING_KEY } from "./server-process.js";

/** The screenshots the README shows; refreshed with SIBYL_UPDATE_SCREENSHOTS=1. */
const README_SCREENSHOTS = fileURLToPath(new URL("../docs/screenshots/", import.meta.url));

const availability = browserAvailability();

describe.runIf(availability.available)("the console in a real browser, against a real server", () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  /** The server's API, with the server key. */
  const api = async (path: string, body?: unknown, contentType = "application/json") => {
    const response = await fetch(`${server.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${SERVER_KEY}`, "content-type": contentType },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as unknown };
  };
  const ingest = (events: readonly unknown[]) =>
    api("/v1/events", events.map((event) => JSON.stringify(event)).join("\n"), "application/x-ndjson");

  /** Saves the page as a test artefact, and as the README's picture when asked to. */
  const shoot = async (name: string) => {
    const path = await screenshot(page, name);
    if (process.env.SIBYL_UPDATE_SCREENSHOTS) {
      mkdirSync(README_SCREENSHOTS, { recursive: true });
      copyFileSync(path, join(README_SCREENSHOTS, `${name}.png`));
    }
  };

  /** Waits until the text of `selector` is a number above `than`. */
  const numberAbove = (selector: string, than: number) =>
    page.waitForFunction(
      ([css, limit]) => {
        const text = document.querySelector(css as string)?.textContent?.replaceAll(",", "") ?? "";
        return Number.parseFloat(text) > (limit as number);
      },
      [selector, than] as const,
    );

  const listItems = (label: string) => page.locator(`ol[aria-label="${label}"] .item-id`).allTextContents();

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = browser.page;
    page.on("pageerror", (error) => {
      throw new Error(`the console threw in the browser: ${error.message}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("serves the console at /console and asks for the server key, saying why a key is refused", async () => {
    await page.goto(`${server.url}/console`);
    await page.getByLabel("Server key").fill(TRACKING_KEY);
    await page.getByRole("button", { name: "Connect" }).click();
    await page.getByRole("alert").getByText("403 Forbidden: this is a tracking key").waitFor();
    await shoot("key-refused");
    await page.getByLabel("Server key").fill("sk_not_this_servers_key");
    await page.getByRole("button", { name: "Connect" }).click();
    await page.getByRole("alert").getByText("401 Unauthorized: the server does not know this key").waitFor();
    await page.getByLabel("Server key").fill(SERVER_KEY);
    await page.getByRole("button", { name: "Connect" }).click();
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    // Kept for this tab only.
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([SERVER_KEY]);
    expect(await page.evaluate(() => Object.values(localStorage))).toEqual([]);
  });

  it("moves the dashboard's counters when events are ingested", async () => {
    await page.getByRole("heading", { name: "No events yet" }).waitFor();
    expect(await page.locator('[data-testid="tile-events"]').textContent()).toBe("0");
    expect((await ingest(shopEvents())).status).toBe(200);
    await numberAbove('[data-testid="tile-events"]', 0);
    await numberAbove('[data-testid="tile-visitors"]', 5);

    const recIds: string[] = [];
    for (const placement of ["home_for_you", "product_page_similar", "trending", "trending"]) {
      const answer = await api("/v1/recommend", {
        placement,
        user_info: { visitor_id: "bob" },
        context_item_ids: ["tent"],
      });
      expect(answer.status).toBe(200);
      recIds.push((answer.json as { rec_id: string }).rec_id);
    }
    expect((await ingest(recommendationTraffic(recIds, "bob"))).status).toBe(200);
    await page
      .getByRole("table", { name: /CTR = clicks/ })
      .getByRole("rowheader", { name: "trending" })
      .waitFor();
    await numberAbove('[data-testid="tile-recommendations / s"]', 0);
    // The next refresh draws a second point of every chart.
    await page.waitForTimeout(2500);
    await shoot("dashboard");
  });

  it("sends an event through its generated form, with the server's errors, and finds it in the visitor inspector", async () => {
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Events" }).click();
    await page
      .getByRole("navigation", { name: "Event types" })
      .getByRole("link", { name: "DetailItemView" })
      .click();
    await page.getByRole("heading", { name: "DetailItemView", level: 1 }).waitFor();
    // Field descriptions are the help text.
    await page.getByText("Anonymous device or cookie id; always present.").waitFor();

    // Sent empty, the form shows the errors the server answers for the same event.
    await page.getByRole("button", { name: "Send DetailItemView" }).click();
    const shown = await page.locator(".rjsf .error-detail li").allTextContents();
    const server = await ingest([{ event_type: "DetailItemView", user_info: {}, item: {} }]);
    const { errors } = (server.json as { rejected: { errors: { pointer: string; message: string }[] }[] })
      .rejected[0]!;
    expect(errors[0]).toEqual({ pointer: "/user_info/visitor_id", message: "is required" });
    expect(shown).toContain(errors[0]!.message);
    await page.locator(".rjsf .panel.errors").getByText("/user_info/visitor_id is required").waitFor();
    await page.locator(".rjsf .panel.errors").getByText("/item/item_id is required").waitFor();

    // Too long a value: the server's own wording under the field.
    await page.locator("#root_user_info_visitor_id").fill("v".repeat(129));
    await page
      .locator("#root_user_info_visitor_id__error")
      .getByText("must NOT have more than 128 characters")
      .waitFor();
    await shoot("events-errors");

    await page.locator("#root_user_info_visitor_id").fill("e2e-visitor");
    await page.locator("#root_item_item_id").fill("lamp");
    await page.locator(".rjsf .panel.errors").waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Send DetailItemView" }).click();
    const report = page.getByRole("region", { name: "Server report" });
    await report.getByText("Server answered 200").waitFor();
    expect(await report.getByTestId("accepted-count").textContent()).toBe("1");
    await shoot("events");

    await page.getByRole("link", { name: "visitor e2e-visitor" }).click();
    await page.getByRole("heading", { name: "Visitor e2e-visitor", level: 1 }).waitFor();
    const history = page.locator("table.history tbody tr");
    expect(await history.count()).toBe(1);
    expect(await history.first().textContent()).toContain("lamp");
    expect(await history.first().textContent()).toContain("view");
  });

  it("shows a visitor's history, cart and each placement's list with why each item is there", async () => {
    await page.getByLabel("Visitor or user id").fill("ann");
    await page.getByRole("button", { name: "Inspect" }).click();
    await page.getByRole("heading", { name: "Visitor ann", level: 1 }).waitFor();
    const recent = page.getByRole("list", { name: "recently_viewed for ann" });
    await recent.waitFor();
    // Most recent first; recently_viewed keeps bought items (ann bought the tent).
    expect(await listItems("recently_viewed for ann")).toEqual(["stove", "bag", "mat", "tent"]);
    await page.getByText("from this visitor's own history").first().waitFor();
    await page.getByRole("list", { name: "home_for_you for ann" }).waitFor();
    await shoot("visitor");

    await page.getByLabel("Visitor or user id").fill("nobody-here");
    await page.getByRole("button", { name: "Inspect" }).click();
    await page.getByRole("heading", { name: "No visitor nobody-here" }).waitFor();
  });

  it("shows an item's catalog fields, counters and neighbours", async () => {
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Items" }).click();
    await page.getByLabel("Item id").fill("tent");
    await page.getByRole("button", { name: "Inspect" }).click();
    await page.getByRole("heading", { name: "Item tent", level: 1 }).waitFor();
    await page.getByText("Trail tent 2P").waitFor();
    await page.getByRole("heading", { name: "view → view" }).waitFor();
    await page.getByRole("list", { name: "product_page_similar beside tent" }).waitFor();
    await shoot("item");
  });

  it("edits a placement with the draft's list previewed beside the live one, then saves it", async () => {
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Placements" }).click();
    await page.getByRole("heading", { name: "Placements", level: 1 }).waitFor();
    await shoot("placements");
    await page.getByRole("link", { name: "trending", exact: true }).click();
    await page.getByRole("heading", { name: "Placement trending", level: 1 }).waitFor();
    await page.getByLabel("Visitor id").fill("eve");

    const live = await waitForList(page, "live list", (items) => items.length >= 6);
    await waitForList(page, "draft list", (items) => items.join() === live.join());

    await page.locator("#root_count").fill("3");
    const drafted = await waitForList(page, "draft list", (items) => items.length === 3);
    expect(drafted).toEqual(live.slice(0, 3));

    await page.locator("#root_filter").fill('{"eq": {"field": "brand", "value": "Acme"}}');
    const acme = await waitForList(page, "draft list", (items) => items.join() !== drafted.join());
    expect(acme.every((id) => ["tent-xl", "bag", "pot", "poles"].includes(id))).toBe(true);
    expect(await listItems("live list")).toEqual(live);
    await shoot("placement-editor");

    await page.getByRole("button", { name: "Save placement" }).click();
    await page.getByRole("region", { name: "Server report" }).getByText("Server answered 200").waitFor();
    await waitForList(page, "live list", (items) => items.join() === acme.join());
    const saved = (await api("/v1/placements")).json as {
      placements: { placement_id: string; count?: number }[];
    };
    expect(saved.placements.find((placement) => placement.placement_id === "trending")?.count).toBe(3);
  });

  it("opens an evaluation's report.json and draws its charts", async () => {
    const report = evaluate(ottoEvents(), {
      protocol: "prequential",
      placements: ["home_for_you", "product_page_similar", "trending"],
      source: "otto-sample/train.jsonl",
      seriesPoints: 8,
    });
    const folder = mkdtempSync(join(tmpdir(), "sibyl-console-report-"));
    const file = join(folder, "report.json");
    writeFileSync(file, JSON.stringify(report, null, 2));
    try {
      await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Reports" }).click();
      await page.getByRole("heading", { name: "No report open" }).waitFor();
      await page.getByLabel("Open a report.json").setInputFiles(file);
      const table = page.locator("table.metrics");
      await table.getByRole("rowheader", { name: "baseline:popular", exact: true }).waitFor();
      for (const placement of report.placements)
        await table.getByRole("rowheader", { name: placement.id, exact: true }).waitFor();
      expect(await page.locator(".report canvas").count()).toBeGreaterThan(0);
      await shoot("report");
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("asks for a key again, saying so, when the server stops accepting it", async () => {
    await page.evaluate(
      (key) => sessionStorage.setItem("sibyl.console.serverKey", key),
      "sk_revoked_key_000000",
    );
    await page.goto(`${server.url}/console/placements`);
    await page.getByRole("alert").getByText("401 Unauthorized").waitFor();
    await page.getByLabel("Server key").waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });
});

/** Waits until the list labelled `label` satisfies `done` (it refreshes as the preview is recomputed). */
async function waitForList(page: Page, label: string, done: (items: string[]) => boolean): Promise<string[]> {
  let items: string[] = [];
  // As long as playwright's own waits (30 s), then say what the list held instead.
  for (let attempt = 0; attempt < 300; attempt++) {
    const busy = await page.locator(`[aria-busy="true"] ol[aria-label="${label}"]`).count();
    items = await page.locator(`ol[aria-label="${label}"] .item-id`).allTextContents();
    if (busy === 0 && items.length > 0 && done(items)) return items;
    await page.waitForTimeout(100);
  }
  throw new Error(`the ${label} never became what the test waits for; it holds [${items.join(", ")}]`);
}
