import type { UserInfo } from "@sibyl/events";

/** One recommendation request of a protocol, the same for every compared placement. */
export interface RecommendQuery {
  userInfo: UserInfo;
  timeMs: number;
  /** The item the visitor is looking at (their latest), for placements that read a context item. */
  contextItem: string | undefined;
  /** Items never to return: the visitor's earlier items when the protocol excludes them. */
  exclude: readonly string[];
  excludeSet: ReadonlySet<string>;
  k: number;
  /** Seeds whatever a recommender draws at random for this request. */
  seed: number;
}

export type RecommenderKind = "placement" | "what-if" | "baseline";

/** Something compared in a run: a live placement, a what-if configuration, or a baseline. */
export interface Recommender {
  /** Unique in a run; the key of the placement in the report. */
  readonly id: string;
  readonly kind: RecommenderKind;
  readonly description: string;
  /** Whether requests carry the context item. */
  readonly context: "last-item" | "none";
  /** At most `query.k` item ids, best first. */
  recommend(query: RecommendQuery): readonly string[];
}
