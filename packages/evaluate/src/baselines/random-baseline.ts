import type { Recommender } from "../placements/recommender.js";
import type { ItemCounts } from "./item-counts.js";
import { SeededRandom } from "./seeded-random.js";

/** Draws before giving up on rejection sampling and scanning for what is left. */
const DRAWS_PER_SLOT = 8;

/** K distinct items drawn uniformly from the catalog known so far, seeded per request: the floor of a report. */
export function randomBaseline(counts: ItemCounts): Recommender {
  return {
    id: "baseline:random",
    kind: "baseline",
    description: "Items drawn uniformly at random from the known catalog (seeded)",
    context: "none",
    recommend(query) {
      const { items } = counts;
      const random = new SeededRandom(query.seed);
      const chosen = new Set<string>();
      const eligible = (item: string) =>
        !chosen.has(item) && !query.excludeSet.has(item) && counts.isAvailable(item);
      for (let draw = 0; draw < query.k * DRAWS_PER_SLOT && chosen.size < query.k; draw++) {
        const item = items[random.below(items.length)];
        if (item !== undefined && eligible(item)) chosen.add(item);
      }
      // Nearly everything is excluded: walk the catalog from a random start instead of drawing forever.
      const start = random.below(Math.max(1, items.length));
      for (let step = 0; step < items.length && chosen.size < query.k; step++) {
        const item = items[(start + step) % items.length]!;
        if (eligible(item)) chosen.add(item);
      }
      return [...chosen];
    },
  };
}
