import type { InteractionKind } from "@sibyl/events";
import { KIND_NAMES } from "../state/interaction-kinds.js";
import { historySeeds } from "./seeds.js";
import type { Strategy } from "./strategy.js";

/**
 * Neighbours aggregated over the visitor's whole history, weighted by kind and recency (time, and position among
 * the visitor's items): "recommended for you".
 * Each history item is looked up in the table of its own kind (a rating in rating → rating, a view in
 * view → view) unless `from_kind`/`to_kind` name one table for all. Items already in the history are not
 * proposed again. Only the strongest seeds (kind × recency) are looked up.
 */
/** The strongest history items looked up; the rest add little and cost a neighbour scan each. */
const MAX_SEEDS = 16;

export const personal: Strategy = (request, params, out) => {
  const { state } = request;
  const halfLife = params.half_life_ms ?? state.options.historyHalfLifeMs;
  const fixed =
    params.from_kind !== undefined || params.to_kind !== undefined
      ? state.cooccurrence.table(params.from_kind ?? "view", params.to_kind ?? "view", false)
      : undefined;
  const positionHalfLife = state.options.historyPositionHalfLife;
  // historySeeds lists items newest first: the position is how many other items the visitor turned to since.
  const history = historySeeds(request, halfLife);
  const own = new Set(history.map((seed) => seed.item));
  const seeds = history
    .map((seed, position) =>
      positionHalfLife > 0 ? { ...seed, weight: seed.weight * 2 ** (-position / positionHalfLife) } : seed,
    )
    .sort((a, b) => b.weight - a.weight || a.item - b.item)
    .slice(0, MAX_SEEDS);
  for (const seed of seeds) {
    const kind = KIND_NAMES[seed.kind] as InteractionKind;
    const table =
      fixed ?? state.cooccurrence.table(kind, kind, false) ?? state.cooccurrence.table("view", "view", false);
    if (!table) continue;
    state.cooccurrence.forEachNeighbour(table, seed.item, (neighbour, score) => {
      if (!own.has(neighbour)) out.offer(neighbour, score * seed.weight, seed.item);
    });
  }
};
