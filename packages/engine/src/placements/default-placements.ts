import type { PlacementUpsert } from "@sibyl/events";

/** A placement's configuration: a PlacementUpsert without its envelope. */
export type PlacementConfig = Omit<PlacementUpsert, "event_type" | "event_id" | "event_time">;

/**
 * The placements a fresh engine starts with, so it recommends something useful before any configuration.
 * A PlacementUpsert with the same id replaces one; PlacementRemove removes it.
 */
export const DEFAULT_PLACEMENTS: readonly PlacementConfig[] = [
  {
    placement_id: "home_for_you",
    description:
      "Recommended for you: neighbours of the visitor's whole history, then of this session; bestsellers when new.",
    strategies: [
      { strategy: "personal", weight: 1 },
      { strategy: "session", weight: 0.5 },
    ],
    fallback: [{ strategy: "popular", params: { kinds: ["view", "cart", "purchase", "rating"] } }],
    count: 10,
  },
  {
    placement_id: "product_page_similar",
    description:
      "On a product page: items viewed by the same visitors around the context item, then similar items.",
    strategies: [
      { strategy: "cooccurrence", weight: 1, params: { from_kind: "view", to_kind: "view" } },
      { strategy: "content", weight: 0.3 },
    ],
    fallback: [{ strategy: "popular", params: { per_category: true } }, { strategy: "popular" }],
    count: 10,
  },
  {
    placement_id: "cart_fbt",
    description:
      "Frequently bought together with the cart's items: same-transaction co-purchases, then carts → purchases.",
    strategies: [
      { strategy: "cooccurrence", weight: 1, params: { same_transaction: true } },
      { strategy: "cooccurrence", weight: 0.5, params: { from_kind: "cart", to_kind: "purchase" } },
    ],
    fallback: [{ strategy: "popular", params: { kinds: ["purchase"] } }],
    count: 6,
  },
  {
    placement_id: "trending",
    description: "What is popular right now across views, carts and purchases (decayed counts).",
    strategies: [{ strategy: "popular", params: { kinds: ["view", "cart", "purchase"] } }],
    count: 10,
    exclude: { in_cart: false, purchased: false },
  },
  {
    placement_id: "recently_viewed",
    description: "The visitor's own recently viewed items, most recent first.",
    strategies: [{ strategy: "history", params: { mode: "recent", kinds: ["view"] } }],
    count: 10,
    exclude: { in_cart: false, purchased: false, out_of_stock: false },
  },
  {
    placement_id: "buy_it_again",
    description: "Items the visitor bought before, most often bought first.",
    strategies: [{ strategy: "history", params: { mode: "repeat", kinds: ["purchase"] } }],
    count: 10,
    exclude: { in_cart: true, purchased: false },
  },
  {
    placement_id: "search",
    description:
      "Search results matching the query in titles, tags, brands and categories, personalised to the visitor.",
    strategies: [{ strategy: "search", weight: 1 }],
    count: 20,
    exclude: { in_cart: false, purchased: false },
  },
];
