import type { SibylEvent } from "@sibyl/events";
import { describe, expect, it } from "vitest";
import { EvaluationInputError, InvalidOptionError } from "../errors/evaluation-errors.js";
import { renderHtml } from "../report/render-html.js";
import type { EvaluationReport } from "../report/report-types.js";
import { groupedShop, item, MINUTE, T0, view } from "../test-events.js";
import { evaluate } from "./evaluate.js";

const metricsOf = (report: EvaluationReport, id: string) =>
  report.placements.find((placement) => placement.id === id)!.metrics;

describe("prequential", () => {
  const events = [
    item("a"),
    item("b"),
    view("v1", "a", T0 + MINUTE),
    view("v1", "b", T0 + 2 * MINUTE),
    view("v2", "a", T0 + 3 * MINUTE),
    view("v2", "a", T0 + 4 * MINUTE),
    {
      ...view("v3", "b", T0 + 5 * MINUTE),
      user_info: { visitor_id: "v3", privacy: "non_personalized" as const },
    },
    view("v2", "b", T0 + 6 * MINUTE),
  ];

  it("scores each target before applying it, after the warm-up, skipping repeats and anonymous events", () => {
    const report = evaluate(events, { protocol: "prequential", warmup: 0.25, timings: false, k: 1 });
    // 8 events: the first 2 are the warm-up (catalog, no targets); v1's first view has no visitor history yet.
    expect(report.requests).toEqual({ scored: 4, skipped: { warmup: 0, repeat: 1, non_personalized: 1 } });
    // popular's top 1 before each scored target: a (none counted: the first known) for v1's a; b for v1's b (a is
    // excluded as seen); a (counted first) for v2's a; b for v2's b (a seen). Every one a hit.
    expect(metricsOf(report, "baseline:popular").hr).toBe(1);
    expect(metricsOf(report, "baseline:popular").coverage).toBe(1);
    expect(report.placements.map((placement) => placement.id)).toEqual([
      "home_for_you",
      "product_page_similar",
      "baseline:popular",
      "baseline:random",
    ]);
  });

  it("keeps repeat targets and earlier items with excludeSeen off", () => {
    const report = evaluate(events, {
      protocol: "prequential",
      warmup: 0.25,
      excludeSeen: false,
      timings: false,
    });
    expect(report.requests.scored).toBe(5);
    expect(report.run.exclude_seen).toBe(false);
  });

  it("finds the structure of a shop: item-to-item placements beat random, and the series adds up", () => {
    const report = evaluate(groupedShop(), {
      protocol: "prequential",
      timings: false,
      k: 3,
      seriesPoints: 4,
    });
    expect(metricsOf(report, "product_page_similar").hr).toBeGreaterThan(
      metricsOf(report, "baseline:random").hr + 0.2,
    );
    expect(report.series.axis).toBe("time");
    expect(report.series.points.map((point) => point.requests).reduce((a, b) => a + b)).toBe(
      report.requests.scored,
    );
    expect(report.placements.find((p) => p.id === "product_page_similar")!.context).toBe("last-item");
    expect(report.placements.find((p) => p.id === "home_for_you")!.context).toBe("none");
  });
});

describe("holdout", () => {
  it("scores each visitor once per fold with test items, and reports the folds as the series", () => {
    const report = evaluate(groupedShop(), { protocol: "holdout", folds: 2, timings: false, k: 3 });
    expect(report.run).toMatchObject({ protocol: "holdout", folds: 2, warmup: null });
    expect(report.series.points.map((point) => point.label)).toEqual(["fold 1", "fold 2"]);
    expect(report.series.points[0]!.requests + report.series.points[1]!.requests).toBe(
      report.requests.scored,
    );
    // 60 visitors with 4 views each: every visitor has test items in both folds, unless the noise repeated an item.
    expect(report.requests.scored + report.requests.skipped.no_new_items!).toBe(120);
    expect(metricsOf(report, "product_page_similar").hr).toBeGreaterThan(
      metricsOf(report, "baseline:random").hr,
    );
  });
});

describe("evaluate", () => {
  it("is deterministic: the same input and seed give the same report and page, byte for byte", () => {
    const options = { protocol: "holdout", folds: 3, timings: false, seed: 5 } as const;
    const first = evaluate(groupedShop(), options);
    const second = evaluate(groupedShop(), options);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(renderHtml(second)).toBe(renderHtml(first));
    expect(JSON.stringify(evaluate(groupedShop(), { ...options, seed: 6 }))).not.toBe(JSON.stringify(first));
  });

  it("differs only in latency and timing when timings are on", () => {
    const strip = (report: EvaluationReport) =>
      JSON.stringify({
        ...report,
        timing: null,
        placements: report.placements.map((p) => ({ ...p, latency_us: null })),
      });
    const timed = evaluate(groupedShop(), { protocol: "prequential" });
    expect(timed.timing?.events_per_second).toBeGreaterThan(0);
    expect(timed.placements.every((placement) => placement.latency_us !== null)).toBe(true);
    expect(strip(timed)).toBe(
      JSON.stringify(evaluate(groupedShop(), { protocol: "prequential", timings: false })),
    );
  });

  it("compares a what-if configuration beside the live placement it drafts", () => {
    const report = evaluate(groupedShop(), {
      protocol: "prequential",
      timings: false,
      placements: ["product_page_similar"],
      whatIf: [
        {
          label: "content-only",
          config: { placement_id: "product_page_similar", strategies: [{ strategy: "content" }] },
        },
      ],
    });
    expect(report.placements.map((placement) => [placement.id, placement.kind])).toEqual([
      ["product_page_similar", "placement"],
      ["what-if:content-only", "what-if"],
      ["baseline:popular", "baseline"],
      ["baseline:random", "baseline"],
    ]);
    expect(report.placements[1]!.config).toEqual({
      placement_id: "product_page_similar",
      strategies: [{ strategy: "content" }],
    });
  });

  it("counts the pairs of kinds a what-if reads from the start, as if it had been live all along", () => {
    const carts = groupedShop().map(
      (event): SibylEvent =>
        event.event_type === "DetailItemView"
          ? {
              event_type: "AddToCart",
              user_info: event.user_info,
              items: [event.item],
              event_time: event.event_time!,
            }
          : event,
    );
    const report = evaluate(carts, {
      protocol: "prequential",
      timings: false,
      placements: [],
      targets: ["AddToCart"],
      excludeSeen: false,
      whatIf: [
        {
          label: "cart-to-cart",
          config: {
            placement_id: "also_carted",
            strategies: [{ strategy: "cooccurrence", params: { from_kind: "cart", to_kind: "cart" } }],
            exclude: { in_cart: false },
          },
        },
      ],
    });
    expect(metricsOf(report, "what-if:cart-to-cart").hr).toBeGreaterThan(
      metricsOf(report, "baseline:random").hr,
    );
    expect(report.run.engine_options).toEqual({});
  });

  it("refuses unknown placements and impossible options before replaying anything", () => {
    expect(() => evaluate(groupedShop(), { protocol: "prequential", placements: ["nowhere"] })).toThrow(
      InvalidOptionError,
    );
    expect(() => evaluate(groupedShop(), { protocol: "holdout", folds: 1 })).toThrow(
      /folds: 1 is not an integer ≥ 2/,
    );
    expect(() => evaluate(groupedShop(), { protocol: "prequential", warmup: 1 })).toThrow(/warmup/);
  });

  it("fails clearly when nothing could be scored", () => {
    expect(() => evaluate([item("a")], { protocol: "prequential" })).toThrow(EvaluationInputError);
  });
});
