import type { Recommender } from "../placements/recommender.js";
import type { ItemCounts } from "./item-counts.js";

/**
 * The most interacted-with items so far, counting every interaction (view, cart, purchase, rating, list …) once,
 * with no decay and no personalisation: the baseline every recommender must beat.
 */
export function popularBaseline(counts: ItemCounts): Recommender {
  return {
    id: "baseline:popular",
    kind: "baseline",
    description: "Most interactions so far, all time, the same for everyone",
    context: "none",
    recommend(query) {
      const list: string[] = [];
      if (query.k <= 0) return list;
      counts.forEachByCount((item) => {
        if (!query.excludeSet.has(item)) list.push(item);
        return list.length < query.k;
      });
      return list;
    },
  };
}
