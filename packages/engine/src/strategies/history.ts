import { historySeeds } from "./seeds.js";
import type { Strategy } from "./strategy.js";

/**
 * The visitor's own items: `recent` (the chosen kinds, most recent first: recently viewed) or `repeat` (bought
 * items, most often bought first: buy it again).
 */
export const history: Strategy = (request, params, out) => {
  const { state, profile } = request;
  if (profile < 0) return;
  if (params.mode === "repeat") {
    const bought = state.visitors.purchased.get(profile);
    if (!bought) return;
    let order = 0;
    for (const [item, count] of bought) out.offer(item, count + ++order / (bought.size + 1));
    return;
  }
  const seeds = historySeeds(
    request,
    params.half_life_ms ?? state.options.historyHalfLifeMs,
    Number.NEGATIVE_INFINITY,
    request.budget,
    params.kinds ?? ["view"],
  );
  // Rank strictly by recency: the first seed is the most recent.
  for (const [index, seed] of seeds.entries()) out.offer(seed.item, seeds.length - index);
};
