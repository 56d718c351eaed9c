import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { StatsResponse } from "../api/types.js";
import { emptyStats } from "../testing/fake-server.js";
import { FakeUPlot } from "../testing/fake-uplot.js";
import { renderConsole } from "../testing/render-console.js";

/** Stats that grow by a batch of views every time they are asked for, after the first two answers. */
function growingStats(): () => StatsResponse {
  let calls = 0;
  return (): StatsResponse => {
    calls++;
    const views = Math.max(0, calls - 2) * 10;
    const stats = emptyStats();
    const none: Record<string, number> = {};
    return {
      ...stats,
      events: views > 0 ? { DetailItemView: views, ItemUpsert: 3 } : none,
      totalEvents: views > 0 ? views + 3 : 0,
      items: views > 0 ? 3 : 0,
      catalogued: views > 0 ? 3 : 0,
      visitors: Math.min(views, 4),
      attribution:
        views > 0
          ? [
              {
                placement: "trending",
                requests: 4,
                impressions: 8,
                clicks: 2,
                carts: 1,
                purchases: 1,
                revenue: 59.5,
                byStrategy: {},
              },
            ]
          : [],
      live: {
        ...stats.live,
        events_per_second: views > 0 ? { DetailItemView: views / 60, ItemUpsert: 0.05 } : none,
        recommend: {
          requests_per_second: views > 0 ? 0.07 : 0,
          latency_ms: views > 0 ? { p50: 0.2, p95: 0.9, p99: 1.4, max: 2 } : null,
          by_placement:
            views > 0
              ? {
                  trending: {
                    requests_per_second: 0.07,
                    latency_ms: { p50: 0.2, p95: 0.9, p99: 1.4, max: 2 },
                  },
                }
              : {},
        },
      },
    };
  };
}

const tile = (label: string) => screen.getByTestId(`tile-${label}`).textContent;

describe("the dashboard", () => {
  it("says what to do when no event has arrived, then its counters and charts move as events do", async () => {
    renderConsole("", { stats: growingStats() });
    await screen.findByRole("heading", { name: "No events yet" });
    expect(tile("events")).toBe("0");
    expect(tile("p95 latency")).toBe("—");
    expect(screen.getByRole("link", { name: "ItemUpsert" }).getAttribute("href")).toBe(
      "/console/events/ItemUpsert",
    );

    await waitFor(() => expect(Number(tile("events"))).toBeGreaterThan(20));
    expect(screen.queryByRole("heading", { name: "No events yet" })).toBeNull();
    expect(tile("visitors")).toBe("4");
    expect(tile("p95 latency")).toBe("0.9 ms");

    const placements = screen.getByRole("table", { name: /CTR = clicks/ });
    const trending = within(placements).getByRole("row", { name: /trending/ });
    expect([...trending.querySelectorAll("td")].map((cell) => cell.textContent)).toEqual([
      "4",
      "8",
      "2",
      "25 %",
      "1",
      "1",
      "50 %",
      "59.5",
      "0.9",
    ]);

    // The charts are redrawn with each answer, one point more each time.
    const live = () => FakeUPlot.instances.filter((chart) => !chart.destroyed);
    const chart = (first: string) => live().find((entry) => entry.labels[0] === first)!;
    expect(live()).toHaveLength(2);
    expect(chart("p50").labels).toEqual(["p50", "p95", "p99"]);
    expect(chart("DetailItemView").labels).toEqual(["DetailItemView", "ItemUpsert"]);
    const points = chart("DetailItemView").data[0]!.length;
    await waitFor(() => expect(chart("DetailItemView").data[0]!.length).toBeGreaterThan(points));
    expect(chart("p50").data[0]!.length).toBe(chart("DetailItemView").data[0]!.length);
  });
});
