import { quantile } from "./quantile.js";
import { ACCURACY_KEYS, type ListScore, selfInformation } from "./ranking-metrics.js";
import { Samples } from "./samples.js";

/** The metrics of one compared placement over a run, rounded for the report. */
export interface MetricValues {
  hr: number;
  precision: number;
  recall: number;
  ndcg: number;
  mrr: number;
  /** Share of the catalog recommended at least once. */
  coverage: number;
  /** Mean self-information of the recommended items, in bits. */
  novelty: number;
}

/** The per-request accuracy metrics, averaged over a range of requests (a point of a series). */
export type AccuracyValues = Pick<MetricValues, "hr" | "precision" | "recall" | "ndcg" | "mrr">;

const ACCURACY = ACCURACY_KEYS.length;

/**
 * Everything measured for one compared placement: every request's accuracy (so the run can be cut into a
 * series afterwards), the items it ever recommended, novelty, and how long each answer took.
 */
export class PlacementTally {
  private readonly scores = new Samples();
  private readonly latencies = new Samples();
  private readonly recommended = new Set<string>();
  private noveltySum = 0;
  private noveltyLists = 0;

  get requests(): number {
    return this.scores.length / ACCURACY;
  }

  add(
    score: ListScore,
    list: readonly string[],
    interactions: (item: string) => number,
    allInteractions: number,
    latencyUs?: number,
  ): void {
    for (const key of ACCURACY_KEYS) this.scores.push(score[key]);
    if (latencyUs !== undefined) this.latencies.push(latencyUs);
    if (list.length === 0) return;
    let information = 0;
    for (const item of list) {
      this.recommended.add(item);
      information += selfInformation(interactions(item), allInteractions);
    }
    this.noveltySum += information / list.length;
    this.noveltyLists++;
  }

  /** Mean accuracy over requests [from, to) in the order they were added. */
  accuracy(from = 0, to = this.requests): AccuracyValues {
    const sums = new Float64Array(ACCURACY);
    for (let request = from; request < to; request++)
      for (let key = 0; key < ACCURACY; key++) sums[key]! += this.scores.at(request * ACCURACY + key);
    const mean = (key: number) => (to > from ? sums[key]! / (to - from) : 0);
    return { hr: mean(0), precision: mean(1), recall: mean(2), ndcg: mean(3), mrr: mean(4) };
  }

  values(catalogSize: number): MetricValues {
    return {
      ...this.accuracy(),
      coverage: catalogSize > 0 ? this.recommended.size / catalogSize : 0,
      novelty: this.noveltyLists > 0 ? this.noveltySum / this.noveltyLists : 0,
    };
  }

  /** Median and 99th percentile answer time in microseconds; undefined when nothing was timed. */
  latency(): { p50: number; p99: number } | undefined {
    if (this.latencies.length === 0) return undefined;
    const values = this.latencies.toArray();
    return { p50: quantile(values, 0.5), p99: quantile(values, 0.99) };
  }
}
