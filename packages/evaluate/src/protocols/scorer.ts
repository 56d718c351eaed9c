import { performance } from "node:perf_hooks";
import { PlacementTally } from "../metrics/placement-tally.js";
import { scoreList } from "../metrics/ranking-metrics.js";
import { Samples } from "../metrics/samples.js";
import type { RecommendQuery } from "../placements/recommender.js";
import type { Compared } from "./compared-set.js";
import type { ReplayWorld } from "./replay-world.js";

/** Asks every compared placement the same question and keeps the score of each answer. */
export class Scorer {
  readonly tallies = new Map<string, PlacementTally>();
  /** Per scored request: its time, and the group it belongs to (the fold, in holdout runs). */
  readonly times = new Samples();
  readonly groups = new Samples();
  /** The compared set of the last replay: ids, kinds and configurations for the report. */
  compared: readonly Compared[] = [];

  constructor(private readonly timings: boolean) {}

  get requests(): number {
    return this.times.length;
  }

  score(
    compared: readonly Compared[],
    world: ReplayWorld,
    query: RecommendQuery,
    relevant: ReadonlySet<string>,
    group: number,
  ): void {
    if (compared !== this.compared) this.compared = compared;
    const interactions = (item: string) => world.counts.count(item);
    for (const { recommender } of compared) {
      let tally = this.tallies.get(recommender.id);
      if (!tally) {
        tally = new PlacementTally();
        this.tallies.set(recommender.id, tally);
      }
      const started = this.timings ? performance.now() : 0;
      const list = recommender.recommend(query);
      const latencyUs = this.timings ? (performance.now() - started) * 1000 : undefined;
      tally.add(scoreList(list, relevant, query.k), list, interactions, world.counts.total, latencyUs);
    }
    this.times.push(query.timeMs);
    this.groups.push(group);
  }
}
