import type { RecoItem } from "../api/types.js";

/**
 * Why an item was recommended, in words: the strategy that contributed most, and the context or history item
 * that led to it. Items a placement's fallback added (the blend had too few candidates) say so.
 */
export function explain(item: Pick<RecoItem, "strategy" | "context_item_id">): string {
  const fallback = item.strategy.startsWith("fallback:");
  const strategy = fallback ? item.strategy.slice("fallback:".length) : item.strategy;
  const reason = reasonOf(strategy, item.context_item_id);
  return fallback ? `fallback: ${reason}` : reason;
}

function reasonOf(strategy: string, context: string | undefined): string {
  switch (strategy) {
    case "cooccurrence":
      return context ? `often with ${context} (same visitors)` : "often with this visitor's recent items";
    case "session":
      return context ? `follows ${context}, seen in this session` : "follows this session's items";
    case "personal":
      return context
        ? `neighbour of ${context} in this visitor's history`
        : "neighbour of this visitor's history";
    case "content":
      return context
        ? `similar to ${context} (categories, tags, brand, price)`
        : "similar to this visitor's recent items";
    case "history":
      return "from this visitor's own history";
    case "popular":
      return "popular now";
    case "offline":
      return "from an imported list";
    case "search":
      return "matches the query";
    default:
      return `chosen by ${strategy}`;
  }
}
