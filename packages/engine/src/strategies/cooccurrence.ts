import type { Strategy } from "./strategy.js";
import { contextOrRecentSeeds } from "./seeds.js";

/**
 * Neighbours of the context items (or, without any, of the visitor's last few items) in the co-occurrence table
 * of a pair of kinds: also-viewed (view → view), viewed-then-bought (view → purchase), frequently bought together
 * (`same_transaction`).
 */
export const cooccurrence: Strategy = (request, params, out) => {
  const { cooccurrence: pairs } = request.state;
  const table = pairs.table(
    params.from_kind ?? "view",
    params.to_kind ?? "view",
    params.same_transaction ?? false,
  );
  if (!table) return;
  for (const seed of contextOrRecentSeeds(request, 5)) {
    pairs.forEachNeighbour(table, seed.item, (neighbour, score) =>
      out.offer(neighbour, score * seed.weight, seed.item),
    );
  }
};
