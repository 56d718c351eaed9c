import type { SibylEvent } from "@sibyl/events";
import { hashSeed } from "../baselines/seeded-random.js";
import { interactionOf } from "../targets/interactions.js";
import { isTarget } from "../targets/target-spec.js";
import { type Compared, comparedSet } from "./compared-set.js";
import type { ResolvedEvaluationOptions } from "./evaluation-options.js";
import type { ProtocolRun } from "./protocol-run.js";
import { ReplayWorld } from "./replay-world.js";
import { Scorer } from "./scorer.js";

/** How often progress is reported, in events. */
const PROGRESS_EVERY = 10_000;

/**
 * Prequential ("test then train") evaluation: replay the events in time order; before each target event after
 * the warm-up, ask every compared placement for K items for that visitor (and their latest item as context, for
 * item-to-item placements), score the lists against the event's items, then apply the event. Every list is
 * computed from exactly what was known just before the visitor acted.
 */
export function runPrequential(
  events: readonly SibylEvent[],
  options: ResolvedEvaluationOptions,
): ProtocolRun {
  const world = new ReplayWorld(options.replayEngineOptions);
  const scorer = new Scorer(options.timings);
  const warmupEnd = Math.floor(options.warmup * events.length);
  const skipped = { warmup: 0, repeat: 0, non_personalized: 0 };
  let compared: Compared[] | undefined;
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    if (isTarget(event, options.targets)) {
      if (index < warmupEnd) skipped.warmup++;
      else {
        compared ??= comparedSet(world, options);
        const outcome = scoreTarget(event, index, world, scorer, compared, options);
        if (outcome !== "scored") skipped[outcome]++;
      }
    }
    world.apply(event);
    if ((index + 1) % PROGRESS_EVERY === 0 || index + 1 === events.length) {
      options.onProgress?.({
        phase: "replay",
        events: index + 1,
        totalEvents: events.length,
        requests: scorer.requests,
      });
    }
  }
  return { scorer, world, eventsReplayed: events.length, refused: world.refused, skipped };
}

function scoreTarget(
  event: SibylEvent,
  index: number,
  world: ReplayWorld,
  scorer: Scorer,
  compared: readonly Compared[],
  options: ResolvedEvaluationOptions,
): "scored" | "repeat" | "non_personalized" {
  const interaction = interactionOf(event)!;
  if (!interaction.personal) return "non_personalized";
  const visitor = world.visitors.get(interaction.visitor);
  const seen = visitor?.items ?? new Set<string>();
  const relevant = new Set(
    options.excludeSeen ? interaction.items.filter((item) => !seen.has(item)) : interaction.items,
  );
  if (relevant.size === 0) return "repeat";
  const exclude = options.excludeSeen ? [...seen] : [];
  scorer.score(
    compared,
    world,
    {
      userInfo: interaction.userInfo,
      timeMs: world.timeOf(event),
      contextItem: visitor?.lastItem,
      exclude,
      excludeSet: options.excludeSeen ? seen : new Set(),
      k: options.k,
      seed: hashSeed(options.seed, index),
    },
    relevant,
    0,
  );
  return "scored";
}
