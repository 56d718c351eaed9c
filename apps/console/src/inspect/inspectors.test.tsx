import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type {
  ItemInspection,
  PlacementConfig,
  PreviewBody,
  RecoResponse,
  VisitorInspection,
} from "../api/types.js";
import { renderConsole } from "../testing/render-console.js";
import { explain } from "./explain.js";

const T = Date.UTC(2026, 0, 5, 9);
const ANN: VisitorInspection = {
  kind: "visitor",
  id: "ann",
  history: [
    { item_id: "mat", kind: "view", time: T + 60_000 },
    { item_id: "tent", kind: "view", time: T },
  ],
  session: { started_at: T, items: [{ item_id: "mat", kind: "view", time: T + 60_000 }] },
  cart: ["tent"],
  lists: { wishlist: ["stove"] },
  purchased: [{ item_id: "lamp", count: 2 }],
  affinities: {
    categories: [{ category: "Outdoor > Tents", weight: 0.5 }],
    brands: [{ brand: "Acme", weight: 0.25 }],
  },
};
const TENT: ItemInspection = {
  item_id: "tent",
  catalogued: true,
  removed: false,
  in_stock: false,
  catalog: {
    item_type: "product",
    title: "Trail tent",
    categories: ["Outdoor > Tents"],
    tags: ["2p"],
    brand: "Acme",
    price: 249,
    currency: "EUR",
    image_urls: [],
    attributes: { colour: "green" },
  },
  popularity: { view: 4.5, cart: 1 },
  neighbours: {
    "view>view": [{ item_id: "mat", score: 3.2, weight: 4 }],
    basket: [{ item_id: "stove", score: 1, weight: 1 }],
  },
};
const PLACEMENTS: PlacementConfig[] = [
  { placement_id: "home_for_you", strategies: [{ strategy: "personal" }], description: "For you." },
  { placement_id: "recently_viewed", strategies: [{ strategy: "history" }] },
];

function preview(body: PreviewBody): RecoResponse {
  const placement = body.request.placement ?? "";
  if (placement === "recently_viewed")
    return { rec_id: "r", placement, items: [{ item_id: "mat", score: 1, strategy: "history" }] };
  return {
    rec_id: "r",
    placement,
    items: [
      { item_id: "stove", score: 0.9, strategy: "personal", context_item_id: "mat" },
      { item_id: "pot", score: 0.1, strategy: "fallback:popular" },
    ],
  };
}

const ENGINE = { visitors: { ann: ANN }, items: { tent: TENT }, placements: PLACEMENTS, preview };

describe("the visitor inspector", () => {
  it("shows history, session, cart, lists, purchases, affinities and each placement's list with reasons", async () => {
    const { server } = renderConsole("visitors/ann", ENGINE);
    await screen.findByRole("heading", { name: "Visitor ann", level: 1 });
    const history = screen.getByRole("table", { name: "Most recent first" });
    expect(
      within(history)
        .getAllByRole("row")
        .slice(1)
        .map((row) => row.textContent),
    ).toEqual(["2026-01-05 09:01:00 UTCviewmat", "2026-01-05 09:00:00 UTCviewtent"]);
    expect(screen.getByRole("heading", { name: "List wishlist" })).toBeDefined();
    expect(screen.getByText("brand Acme")).toBeDefined();
    const forYou = await screen.findByRole("list", { name: "home_for_you for ann" });
    expect(forYou.textContent).toContain("neighbour of mat in this visitor's history");
    expect(forYou.textContent).toContain("fallback: popular now");
    expect((await screen.findByRole("list", { name: "recently_viewed for ann" })).textContent).toContain(
      "from this visitor's own history",
    );
    // Previews, never recommendations: looking changes nothing.
    expect(server.requests.filter((request) => request.includes("/v1/recommend"))).toEqual([]);
  });

  it("looks up a user id, and says what to do about an unknown visitor", async () => {
    const { server } = renderConsole("visitors", ENGINE);
    await screen.findByRole("heading", { name: "Inspect a visitor" });
    fireEvent.change(screen.getByLabelText("Visitor or user id"), { target: { value: "u-1" } });
    fireEvent.click(screen.getByLabelText("user_id"));
    fireEvent.click(screen.getByRole("button", { name: "Inspect" }));
    await screen.findByRole("heading", { name: "No user u-1" });
    expect(server.requests).toContain("GET /v1/visitors/u-1?kind=user");
    expect(screen.getByRole("link", { name: "DetailItemView" }).getAttribute("href")).toBe(
      "/console/events/DetailItemView",
    );
  });
});

describe("the item inspector", () => {
  it("shows catalog fields, stock, counters, neighbours per table and what placements show beside it", async () => {
    renderConsole("items/tent", ENGINE);
    await screen.findByRole("heading", { name: "Item tent", level: 1 });
    expect(screen.getByText("Trail tent")).toBeDefined();
    expect(screen.getByText("out of stock")).toBeDefined();
    expect(screen.getByText('{"colour":"green"}')).toBeDefined();
    expect(screen.getByRole("heading", { name: "view → view" })).toBeDefined();
    expect(screen.getByRole("heading", { name: "basket" })).toBeDefined();
    expect(screen.getByRole("link", { name: "mat" }).getAttribute("href")).toBe("/console/items/mat");
    const beside = await screen.findByRole("list", { name: "home_for_you beside tent" });
    expect(beside.textContent).toContain("stove");
  });

  it("says how an item comes to exist when it does not", async () => {
    renderConsole("items/ghost", ENGINE);
    await screen.findByRole("heading", { name: "No item ghost" });
    await waitFor(() => expect(screen.getByRole("link", { name: "ItemUpsert" })).toBeDefined());
  });
});

describe("explain", () => {
  it("says why each strategy chose an item, naming the item that led to it", () => {
    expect(explain({ strategy: "cooccurrence", context_item_id: "tent" })).toBe(
      "often with tent (same visitors)",
    );
    expect(explain({ strategy: "content", context_item_id: "tent" })).toBe(
      "similar to tent (categories, tags, brand, price)",
    );
    expect(explain({ strategy: "session", context_item_id: "mat" })).toBe(
      "follows mat, seen in this session",
    );
    expect(explain({ strategy: "fallback:popular" })).toBe("fallback: popular now");
    expect(explain({ strategy: "search" })).toBe("matches the query");
    expect(explain({ strategy: "newfangled" })).toBe("chosen by newfangled");
  });
});
