import { historySeeds } from "./seeds.js";
import type { Strategy } from "./strategy.js";

/**
 * Neighbours of the current session's items, the most recent weighing most: "continue browsing". The session's
 * own items are not proposed again (recently_viewed does that).
 */
export const session: Strategy = (request, params, out) => {
  const { state } = request;
  const table = state.cooccurrence.table(params.from_kind ?? "view", params.to_kind ?? "view", false);
  if (!table || request.profile < 0) return;
  const since = state.visitors.sessionStartOf(request.profile, request.nowMs);
  const halfLife = params.half_life_ms ?? state.options.sessionHalfLifeMs;
  const seeds = historySeeds(request, halfLife, since);
  const own = new Set(seeds.map((seed) => seed.item));
  for (const seed of seeds) {
    state.cooccurrence.forEachNeighbour(table, seed.item, (neighbour, score) => {
      if (!own.has(neighbour)) out.offer(neighbour, score * seed.weight, seed.item);
    });
  }
};
