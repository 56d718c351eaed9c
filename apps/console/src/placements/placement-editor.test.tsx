import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { PlacementConfig, PreviewBody, RecoResponse } from "../api/types.js";
import { renderConsole } from "../testing/render-console.js";

const CATALOG = ["tent", "mat", "bag", "stove", "lamp"];
const TRENDING: PlacementConfig = {
  placement_id: "trending",
  description: "What is popular right now.",
  strategies: [{ strategy: "popular", params: { kinds: ["view", "cart", "purchase"] } }],
  count: 5,
};

/** Answers as the engine would for these placements: the catalog by popularity, `count` of it. */
function preview(body: PreviewBody): RecoResponse {
  const count = body.placement?.count ?? TRENDING.count ?? 10;
  const placement = body.placement?.placement_id ?? body.request.placement ?? "";
  return {
    rec_id: "r-preview",
    placement,
    items: CATALOG.slice(0, count).map((item_id, index) => ({
      item_id,
      score: 1 - index / 10,
      strategy: "popular",
    })),
  };
}

const items = (label: string) =>
  [...screen.getByRole("list", { name: label }).querySelectorAll(".item-id")].map((link) => link.textContent);

describe("the placement editor", () => {
  it("lists the placements, each opening in the editor", async () => {
    renderConsole("placements", { placements: [TRENDING] });
    const table = await screen.findByRole("table");
    const row = within(table).getByRole("row", { name: /trending/ });
    expect(row.textContent).toContain("popular");
    expect(within(row).getByRole("link", { name: "trending" }).getAttribute("href")).toBe(
      "/console/placements/trending",
    );
  });

  it("shows the draft's list beside the live one as the form changes, and saves the draft", async () => {
    const { server } = renderConsole("placements/trending", { placements: [TRENDING], preview });
    await screen.findByRole("heading", { name: "Placement trending", level: 1 });
    await waitFor(() => expect(items("live list")).toEqual(CATALOG));
    await waitFor(() => expect(items("draft list")).toEqual(CATALOG));

    fireEvent.change(document.getElementById("root_count")!, { target: { value: "2" } });
    await waitFor(() => expect(items("draft list")).toEqual(["tent", "mat"]));
    expect(items("live list")).toEqual(CATALOG);
    const drafts = server.requests.filter((request) => request === "POST /v1/placements/preview");
    expect(drafts.length).toBeGreaterThanOrEqual(3);

    // A draft the server would refuse is not previewed: the preview says what to fix.
    fireEvent.change(document.getElementById("root_count")!, { target: { value: "0" } });
    expect((await screen.findByText(/The draft has 1 error/)).textContent).toContain("/count must be >= 1");
    fireEvent.change(document.getElementById("root_count")!, { target: { value: "2" } });
    await waitFor(() => expect(items("draft list")).toEqual(["tent", "mat"]));

    fireEvent.click(screen.getByRole("button", { name: "Save placement" }));
    const report = await screen.findByRole("region", { name: "Server report" });
    expect(report.textContent).toContain("Server answered 200");
    expect(server.accepted).toEqual([{ event_type: "PlacementUpsert", ...TRENDING, count: 2 }]);
  });

  it("starts a new placement as not live yet, and opens it as its own page once saved", async () => {
    const { server } = renderConsole("placements/new", { placements: [TRENDING], preview });
    await screen.findByRole("heading", { name: "New placement", level: 1 });
    expect(await screen.findByText("Not live yet: saving creates it.")).toBeDefined();
    fireEvent.click(screen.getByRole("button", { name: "Save placement" }));
    await waitFor(() =>
      expect([...document.querySelectorAll(".rjsf .panel.errors li")].map((li) => li.textContent)).toEqual([
        "/placement_id is required",
      ]),
    );
    fireEvent.change(document.getElementById("root_placement_id")!, { target: { value: "weekend_picks" } });
    await waitFor(() => expect(document.querySelectorAll(".rjsf .panel.errors li")).toHaveLength(0));
    fireEvent.click(screen.getByRole("button", { name: "Save placement" }));
    await screen.findByRole("heading", { name: "Placement weekend_picks", level: 1 });
    expect(window.location.pathname).toBe("/console/placements/weekend_picks");
    expect((await screen.findByRole("region", { name: "Server report" })).textContent).toContain(
      "Server answered 200",
    );
    expect(server.accepted).toEqual([
      {
        event_type: "PlacementUpsert",
        placement_id: "weekend_picks",
        strategies: [{ strategy: "popular", weight: 1 }],
      },
    ]);
    await waitFor(() => expect(items("live list")).toEqual(CATALOG));
  });

  it("says so when asked for a placement that does not exist", async () => {
    renderConsole("placements/nowhere", { placements: [TRENDING] });
    await screen.findByRole("heading", { name: "No placement nowhere" });
  });
});
