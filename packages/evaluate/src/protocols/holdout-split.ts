import type { SibylEvent } from "@sibyl/events";
import { hashSeed, SeededRandom } from "../baselines/seeded-random.js";
import { interactionOf } from "../targets/interactions.js";

/** Events every fold trains on: catalog, configuration, page views, requests — anything not a personal interaction. */
export const ALWAYS_TRAIN = -1;

/**
 * Splits each visitor's interactions at random into `folds` parts of equal size (±1): the fold of every event,
 * or ALWAYS_TRAIN. A visitor's split depends only on the seed, the visitor and their own events, so adding
 * another visitor to the data never reshuffles anyone else.
 */
export function assignFolds(events: readonly SibylEvent[], folds: number, seed: number): Int32Array {
  const byVisitor = new Map<string, number[]>();
  events.forEach((event, index) => {
    const interaction = interactionOf(event);
    if (!interaction?.personal || interaction.items.length === 0) return;
    const indices = byVisitor.get(interaction.visitor);
    if (indices) indices.push(index);
    else byVisitor.set(interaction.visitor, [index]);
  });
  const fold = new Int32Array(events.length).fill(ALWAYS_TRAIN);
  for (const [visitor, indices] of byVisitor) {
    const random = new SeededRandom(hashSeed(seed, "holdout", visitor));
    random.shuffle(indices);
    // A random first fold, so visitors with fewer interactions than folds do not all land in fold 0.
    const offset = random.below(folds);
    indices.forEach((eventIndex, rank) => {
      fold[eventIndex] = (rank + offset) % folds;
    });
  }
  return fold;
}
