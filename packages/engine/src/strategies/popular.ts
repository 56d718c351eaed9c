import type { InteractionKind } from "@sibyl/events";
import { KIND, KIND_WEIGHT } from "../state/interaction-kinds.js";
import type { Strategy } from "./strategy.js";

const DEFAULT_KINDS: readonly InteractionKind[] = ["view", "cart", "purchase"];

/**
 * Decayed counts of the chosen kinds, weighted by how much each kind says (a purchase counts more than a view),
 * over the whole catalog or within the request's category (else the first context item's category).
 */
export const popular: Strategy = (request, params, out) => {
  const { popularity, catalog } = request.state;
  let category = -1;
  if (params.per_category) {
    category = request.category;
    if (category < 0 && request.contextItems.length > 0) {
      category = catalog.record(request.contextItems[0]!)?.categoryIds[0] ?? -1;
    }
    if (category < 0) return;
  }
  const kinds = (params.kinds ?? DEFAULT_KINDS).map((kind) => KIND[kind]);
  for (const kind of kinds) {
    const top = popularity.top(kind, category);
    const limit = Math.min(top.length, request.budget);
    for (let rank = 0; rank < limit; rank++) {
      const item = top[rank]!;
      let score = 0;
      for (const other of kinds) score += KIND_WEIGHT[other]! * popularity.score(item, other);
      out.offer(item, score);
    }
  }
};
