import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { evaluate } from "../protocols/evaluate.js";
import { groupedShop } from "../test-events.js";
import { renderHtml } from "./render-html.js";
import { writeReport } from "./write-report.js";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const scratch = () => mkdtempSync(join(tmpdir(), "sibyl-report-"));
const report = evaluate(groupedShop(), {
  protocol: "prequential",
  source: "grouped-shop.ndjson",
  seriesPoints: 5,
  whatIf: [{ label: "content", config: { placement_id: "similar", strategies: [{ strategy: "content" }] } }],
});
const placements = report.placements.length;

describe("report files", () => {
  it("writes report.json (the report as returned) and a self-contained report.html", () => {
    const written = writeReport(join(scratch(), "nested", "out"), report);
    expect(JSON.parse(readFileSync(written.json, "utf8"))).toEqual(report);
    const html = readFileSync(written.html, "utf8");
    expect(html).toBe(renderHtml(report));
    expect(html).toMatch(/^<!DOCTYPE html>/);
    // Nothing to fetch: no script, stylesheet, image or font from anywhere.
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it("escapes what the events and options put into the page", () => {
    const html = renderHtml({
      ...report,
      dataset: { ...report.dataset, source: '<img src=x onerror="boom">' },
    });
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=&quot;boom&quot;&gt;");
  });
});

describe("report.html in headless Chromium", () => {
  it("renders every chart, with no console error and no request beyond the file itself", async (context) => {
    if (!existsSync(CHROMIUM)) {
      const message = `${CHROMIUM} is missing: the report's rendering in a browser was NOT checked`;
      if (process.env.CI) throw new Error(`${message}; CI needs it (scripts/ci/install-chromium.sh)`);
      console.warn(`${"!".repeat(78)}\nSKIPPED: ${message}.\n${"!".repeat(78)}`);
      context.skip();
    }
    const { html } = writeReport(scratch(), report);
    const browser = await chromium.launchPersistentContext(scratch(), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));
      const requests: string[] = [];
      page.on("request", (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(html).href, { waitUntil: "load" });

      expect(await page.title()).toBe("Sibyl evaluation: prequential, grouped-shop.ndjson");
      const charts = await page.locator("svg.chart").all();
      // 7 metrics and latency as bars, NDCG, HR and MRR over time as lines
      expect(charts).toHaveLength(11);
      for (const chart of charts) {
        const box = await chart.boundingBox();
        expect(box!.width).toBeGreaterThan(300);
        expect(box!.height).toBeGreaterThan(60);
      }
      const ndcgBars = page.locator('svg[aria-label="NDCG@10"] rect');
      expect(await ndcgBars.count()).toBe(placements);
      const widths = await ndcgBars.evaluateAll((rects) =>
        rects.map((rect) => rect.getBoundingClientRect().width),
      );
      expect(Math.max(...widths)).toBeGreaterThan(100);
      expect(await page.locator('svg[aria-label^="NDCG@10 over time"] polyline').count()).toBe(placements);
      expect(await page.locator("table tbody tr").count()).toBe(placements);
      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(html).href]);
    } finally {
      await browser.close();
    }
  });
});
