import { DEFAULT_PLACEMENTS, type PlacementConfig } from "@sibyl/engine";
import type { SibylEvent } from "@sibyl/events";
import { popularBaseline } from "../baselines/popular-baseline.js";
import { randomBaseline } from "../baselines/random-baseline.js";
import { InvalidOptionError } from "../errors/evaluation-errors.js";
import { contextModeOf, livePlacement, whatIfRecommender } from "../placements/engine-placements.js";
import type { Recommender } from "../placements/recommender.js";
import type { ResolvedEvaluationOptions } from "./evaluation-options.js";
import type { ReplayWorld } from "./replay-world.js";

/** A compared placement with the configuration it was evaluated with (null for baselines). */
export interface Compared {
  recommender: Recommender;
  config: PlacementConfig | null;
}

/**
 * Checks before any replay that every live placement asked for will exist: a default placement, or one that a
 * PlacementUpsert in the events defines.
 */
export function checkPlacementsExist(
  events: readonly SibylEvent[],
  options: ResolvedEvaluationOptions,
): void {
  const known = new Set<string>();
  if (options.engineOptions.defaultPlacements !== false)
    for (const placement of DEFAULT_PLACEMENTS) known.add(placement.placement_id);
  for (const event of events) if (event.event_type === "PlacementUpsert") known.add(event.placement_id);
  for (const id of options.placements) {
    if (!known.has(id))
      throw new InvalidOptionError(
        "placement",
        `"${id}" is not defined; known placements: ${[...known].sort().join(", ")}`,
      );
  }
}

/** The live placements, the what-ifs and the two baselines, answering from one replay's state. */
export function comparedSet(world: ReplayWorld, options: ResolvedEvaluationOptions): Compared[] {
  const live = world.engine.placements();
  const compared: Compared[] = options.placements.map((id) => {
    const config = live.find((placement) => placement.placement_id === id);
    if (!config)
      throw new InvalidOptionError(
        "placement",
        `"${id}" is not defined when scoring starts; live placements: ${live.map((p) => p.placement_id).join(", ")}`,
      );
    return {
      recommender: livePlacement(world.engine, id, contextModeOf(config, options.context)),
      config,
    };
  });
  for (const whatIf of options.whatIf) {
    compared.push({
      recommender: whatIfRecommender(world.engine, whatIf, contextModeOf(whatIf.config, options.context)),
      config: whatIf.config,
    });
  }
  compared.push({ recommender: popularBaseline(world.counts), config: null });
  compared.push({ recommender: randomBaseline(world.counts), config: null });
  return compared;
}
