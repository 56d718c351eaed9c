import type { InteractionKind } from "@sibyl/events";

/** How a co-occurrence count is turned into a neighbour score. */
export type Normalisation = "llr" | "cosine" | "count";

export interface EngineOptions {
  /** Interactions kept per visitor (a ring: the oldest is dropped). Default 64. */
  historyLength?: number;
  /** A visitor's session ends after this much inactivity, or when the client sends a new session_id. Default 30 min. */
  sessionTimeoutMs?: number;
  /** Half-life of item popularity counters. Default 3 days. */
  popularityHalfLifeMs?: number;
  /** Half-life of the recency weighting of a visitor's history (personal, history). Default 14 days. */
  historyHalfLifeMs?: number;
  /**
   * personal: a history item's weight also halves for every this many distinct items the visitor turned to since
   * (0: time alone). Time cannot order a burst of interactions seconds apart; position can. Default 4.
   */
  historyPositionHalfLife?: number;
  /** Half-life of the recency weighting inside a session (session strategy). Default 10 min. */
  sessionHalfLifeMs?: number;
  /** Most popular items kept ranked per interaction kind over the whole catalog. Default 200. */
  popularTopK?: number;
  /** Most popular items kept ranked per interaction kind and category. Default 100. */
  categoryTopK?: number;
  /** Neighbours kept per item and pair of interaction kinds. Default 32. */
  neighbours?: number;
  /** Two interactions of one visitor co-occur when they are at most this far apart. Default 1 h. */
  cooccurrenceWindowMs?: number;
  /** Earlier interactions paired with each new one (the most recent first). Default 5. */
  cooccurrenceLookback?: number;
  /** Pairs of interaction kinds tracked from the start; placements add the pairs they use. */
  cooccurrencePairs?: readonly (readonly [InteractionKind, InteractionKind])[];
  /** Neighbour scoring: the co-occurrence count (default), log-likelihood ratio, or cosine. */
  normalisation?: Normalisation;
  /** A repeated event_id within this window is ignored. Default 24 h. */
  dedupeWindowMs?: number;
  /** At most this many event ids are remembered for deduplication. Default 1,000,000. */
  dedupeMaxIds?: number;
  /** Recommendations remember which strategy gave each item for this long, for attribution. Default 7 days. */
  attributionWindowMs?: number;
  /** At most this many recommendations are remembered for attribution. Default 100,000. */
  attributionMaxRecs?: number;
  /** Distinct purchased items remembered per visitor. Default 200. */
  purchasedPerVisitor?: number;
  /** Orders remembered so a Refund can undo them. Default 100,000. */
  refundableOrders?: number;
  /** Start with the documented default placements. Default true. */
  defaultPlacements?: boolean;
}

export type ResolvedOptions = Required<EngineOptions>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const DEFAULT_OPTIONS: ResolvedOptions = {
  historyLength: 64,
  sessionTimeoutMs: 30 * MINUTE,
  popularityHalfLifeMs: 3 * DAY,
  historyHalfLifeMs: 14 * DAY,
  historyPositionHalfLife: 4,
  sessionHalfLifeMs: 10 * MINUTE,
  popularTopK: 200,
  categoryTopK: 100,
  neighbours: 32,
  cooccurrenceWindowMs: HOUR,
  cooccurrenceLookback: 5,
  cooccurrencePairs: [
    ["view", "view"],
    ["view", "cart"],
    ["view", "purchase"],
    ["cart", "purchase"],
    ["rating", "rating"],
  ],
  normalisation: "count",
  dedupeWindowMs: DAY,
  dedupeMaxIds: 1_000_000,
  attributionWindowMs: 7 * DAY,
  attributionMaxRecs: 100_000,
  purchasedPerVisitor: 200,
  refundableOrders: 100_000,
  defaultPlacements: true,
};

export function resolveOptions(options: EngineOptions = {}): ResolvedOptions {
  const resolved = { ...DEFAULT_OPTIONS };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (resolved as Record<string, unknown>)[key] = value;
  }
  return resolved;
}
