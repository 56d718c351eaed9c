import type { InteractionKind } from "@sibyl/events";

/**
 * Interaction kinds as small integers, the form they take in visitor histories and counters. `seen` is internal:
 * an interaction that shows the visitor knows the item (a low rating) without being a positive signal.
 */
export const KIND = {
  view: 0,
  cart: 1,
  purchase: 2,
  list: 3,
  rating: 4,
  search: 5,
  other: 6,
  seen: 7,
} as const;
export type KindCode = (typeof KIND)[keyof typeof KIND];

export const POSITIVE_KINDS: readonly InteractionKind[] = [
  "view",
  "cart",
  "purchase",
  "list",
  "rating",
  "search",
  "other",
];
export const KIND_COUNT = 8;
export const KIND_NAMES = ["view", "cart", "purchase", "list", "rating", "search", "other", "seen"] as const;

export function kindCode(kind: InteractionKind): KindCode {
  return KIND[kind];
}

/** How much one interaction of each kind says about a visitor's taste, for history-based strategies. */
export const KIND_WEIGHT: Readonly<Record<number, number>> = {
  [KIND.view]: 1,
  [KIND.cart]: 3,
  [KIND.purchase]: 4,
  [KIND.list]: 2,
  [KIND.rating]: 3,
  [KIND.search]: 1,
  [KIND.other]: 1,
  [KIND.seen]: 0,
};
