import type { SibylEvent, UserInfo } from "@sibyl/events";
import { hashSeed } from "../baselines/seeded-random.js";
import { interactionOf } from "../targets/interactions.js";
import { isTarget } from "../targets/target-spec.js";
import { comparedSet } from "./compared-set.js";
import type { ResolvedEvaluationOptions } from "./evaluation-options.js";
import { assignFolds } from "./holdout-split.js";
import type { ProtocolRun } from "./protocol-run.js";
import { ReplayWorld } from "./replay-world.js";
import { Scorer } from "./scorer.js";

const PROGRESS_EVERY = 20_000;

/**
 * Holdout evaluation with k folds, the protocol published recommenders report NDCG@K with. Each visitor's
 * interactions are split at random (seeded) into k parts. For each fold: replay every other event in time order,
 * then for each visitor with target events in the fold, ask every compared placement for K items — excluding
 * the visitor's training items, so the whole rest of the catalog competes — as of the visitor's last training
 * interaction, and score the list against the fold's target items.
 */
export function runHoldout(events: readonly SibylEvent[], options: ResolvedEvaluationOptions): ProtocolRun {
  const foldOf = assignFolds(events, options.folds, options.seed);
  const scorer = new Scorer(options.timings);
  const skipped = {
    no_new_items: 0,
    // Never assigned to a fold: the engine keeps them against nobody, so there is no visitor to ask for.
    non_personalized: events.filter(
      (event) => isTarget(event, options.targets) && interactionOf(event)?.personal === false,
    ).length,
  };
  let eventsReplayed = 0;
  let refused = 0;
  let world: ReplayWorld | undefined;
  for (let fold = 0; fold < options.folds; fold++) {
    world = new ReplayWorld(options.replayEngineOptions);
    const tests = new Map<string, { userInfo: UserInfo; items: Set<string> }>();
    const phase = `fold ${fold + 1}/${options.folds}`;
    for (let index = 0; index < events.length; index++) {
      const event = events[index]!;
      if (foldOf[index] === fold) {
        if (isTarget(event, options.targets)) {
          const interaction = interactionOf(event)!;
          const test = tests.get(interaction.visitor) ?? { userInfo: interaction.userInfo, items: new Set() };
          for (const item of interaction.items) test.items.add(item);
          tests.set(interaction.visitor, test);
        }
      } else {
        world.apply(event);
        eventsReplayed++;
      }
      if ((index + 1) % PROGRESS_EVERY === 0)
        options.onProgress?.({
          phase,
          events: index + 1,
          totalEvents: events.length,
          requests: scorer.requests,
        });
    }
    refused += world.refused;
    const compared = comparedSet(world, options);
    for (const [visitor, test] of tests) {
      const trained = world.visitors.get(visitor);
      const seen = options.excludeSeen ? (trained?.items ?? new Set<string>()) : new Set<string>();
      const relevant = new Set([...test.items].filter((item) => !seen.has(item)));
      if (relevant.size === 0) {
        skipped.no_new_items++;
        continue;
      }
      scorer.score(
        compared,
        world,
        {
          userInfo: trained?.userInfo ?? test.userInfo,
          timeMs: trained?.lastTimeMs ?? world.nowMs,
          contextItem: trained?.lastItem,
          exclude: [...seen],
          excludeSet: seen,
          k: options.k,
          seed: hashSeed(options.seed, fold, visitor),
        },
        relevant,
        fold,
      );
    }
    options.onProgress?.({
      phase,
      events: events.length,
      totalEvents: events.length,
      requests: scorer.requests,
    });
  }
  return { scorer, world: world!, eventsReplayed, refused, skipped };
}
