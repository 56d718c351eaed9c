import type { InteractionKind } from "@sibyl/events";
import { KIND, KIND_WEIGHT } from "../state/interaction-kinds.js";
import type { RequestContext } from "./strategy.js";

export interface Seed {
  item: number;
  /** Kind of the seed's strongest interaction. */
  kind: number;
  weight: number;
}

/**
 * The items a visitor-based strategy starts from: the visitor's interactions since `sinceMs` (newest first),
 * weighted by kind and by recency (half-life), one seed per item with the weights summed.
 */
export function historySeeds(
  request: RequestContext,
  halfLifeMs: number,
  sinceMs = Number.NEGATIVE_INFINITY,
  limit = Number.POSITIVE_INFINITY,
  kinds?: readonly InteractionKind[],
): Seed[] {
  const seeds: Seed[] = [];
  if (request.profile < 0) return seeds;
  const allowed = kinds?.map((kind) => KIND[kind]);
  // History times are whole seconds.
  const since = Math.floor(sinceMs / 1000);
  request.state.visitors.history.forEachNewest(request.profile, (item, kind, timeSec) => {
    if (timeSec < since) return false;
    if (allowed ? !allowed.includes(kind as never) : KIND_WEIGHT[kind] === 0) return;
    const weight = (KIND_WEIGHT[kind] || 1) * 2 ** (-(request.nowMs - timeSec * 1000) / halfLifeMs);
    const seed = seeds.find((candidate) => candidate.item === item);
    if (seed) {
      seed.weight += weight;
      if ((KIND_WEIGHT[kind] ?? 0) > (KIND_WEIGHT[seed.kind] ?? 0)) seed.kind = kind;
    } else if (seeds.length < limit) {
      seeds.push({ item, kind, weight });
    }
  });
  return seeds;
}

/** Context items when the request has them, otherwise the visitor's most recent items. */
export function contextOrRecentSeeds(request: RequestContext, recent: number): Seed[] {
  if (request.contextItems.length > 0) {
    return request.contextItems.map((item) => ({ item, kind: KIND.view, weight: 1 }));
  }
  return historySeeds(request, request.state.options.sessionHalfLifeMs * 6, Number.NEGATIVE_INFINITY, recent);
}
