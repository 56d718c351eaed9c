import type { RecoRequest, RecoResponse, SmartSearchRequest } from "@sibyl/events";
import { InvalidRequestError } from "../errors/engine-errors.js";
import { normaliseCategoryPath } from "../filters/item-fields.js";
import type { CompiledPlacement, ItemPredicate } from "../placements/placements.js";
import type { EngineState } from "../state/engine-state.js";
import { hash32, mix32 } from "../state/hash.js";
import type { Candidates } from "../strategies/candidates.js";
import { STRATEGIES } from "../strategies/index.js";
import { TopSelection } from "./top-selection.js";
import type { RequestContext } from "../strategies/strategy.js";

export type RecommendationRequest = RecoRequest | SmartSearchRequest;

interface Ranked {
  item: number;
  score: number;
  strategy: string;
  context: number;
}

/**
 * `apply` answers a request as an event: it joins the visitor's session and the response is remembered for
 * attribution. `preview` answers without changing anything (what-if configurations, duplicate requests).
 */
export type RecommendMode = "apply" | "preview";

/**
 * Answers a recommendation request. Everything that can be wrong with the request (unknown placement, count
 * above the placement's maximum, an inapplicable filter) is checked before any state changes, so a rejected
 * request leaves the engine as it was. `placementOverride` answers with a configuration that is not live.
 */
export function recommend(
  state: EngineState,
  candidates: Candidates,
  request: RecommendationRequest,
  timeMs: number,
  mode: RecommendMode = "apply",
  placementOverride?: CompiledPlacement,
): RecoResponse {
  const { placementId, placement, count, requestFilter } = checkRequest(state, request, placementOverride);

  const { catalog, visitors } = state;
  const profile =
    mode === "apply"
      ? state.profileFor(request.user_info, timeMs)
      : request.user_info.privacy === "non_personalized"
        ? -1
        : visitors.resolve(request.user_info, false);
  const known = (ids: readonly string[] | undefined) =>
    (ids ?? []).map((id) => catalog.ids.lookup(id)).filter((item) => item >= 0);
  const contextItems = request.event_type === "RecoRequest" ? known(request.context_item_ids) : [];
  const excluded = new Set<number>(contextItems);
  if (request.event_type === "RecoRequest")
    for (const item of known(request.exclude_item_ids)) excluded.add(item);
  addVisitorExclusions(state, placement, profile, timeMs, excluded);

  const context: RequestContext = {
    state,
    profile,
    contextItems,
    category:
      request.event_type === "RecoRequest" && request.category !== undefined
        ? catalog.categoryPaths.lookup(normaliseCategoryPath(request.category))
        : -1,
    query: request.query,
    resultItems: request.event_type === "SmartSearchRequest" ? known(request.result_item_ids) : undefined,
    nowMs: timeMs,
    budget: Math.max(50, count * 4 + excluded.size),
  };
  const recId = request.rec_id ?? generateRecId(state, request, placementId, timeMs);
  const seed = hash32(recId);
  const eligible = (item: number) =>
    !excluded.has(item) &&
    !catalog.isRemoved(item) &&
    (!placement.exclude.outOfStock || catalog.inStock(item)) &&
    passes(placement.filter, item) &&
    passes(requestFilter, item);

  candidates.reserve(catalog.capacity);
  candidates.clear();
  placement.strategies.forEach((strategy, index) => {
    STRATEGIES[strategy.strategy](context, strategy.params ?? {}, candidates);
    candidates.endStrategy(index, strategy.weight ?? 1);
  });
  const primary = new TopSelection(count);
  for (const item of candidates.touched) {
    if (!eligible(item)) continue;
    let score = candidates.score(item);
    for (const boost of placement.boosts) if (boost.predicate(item)) score *= boost.factor;
    primary.offer(item, score, mix32(seed, item));
  }
  const selected: Ranked[] = primary.items.map((item, rank) => ({
    item,
    score: primary.scores[rank]!,
    strategy: placement.strategies[candidates.strategyOf(item)]!.strategy,
    context: candidates.contextOf(item),
  }));
  candidates.clear();

  for (const fallback of placement.fallback) {
    if (selected.length >= count) break;
    const chosen = new Set(selected.map((entry) => entry.item));
    const floor = (selected.at(-1)?.score ?? 2) / 2;
    STRATEGIES[fallback.strategy](context, fallback.params ?? {}, candidates);
    const best = new TopSelection(count - selected.length);
    const contexts = new Map<number, number>();
    candidates.takeOffers((item, score, contextItem) => {
      if (chosen.has(item) || !eligible(item)) return;
      best.offer(item, score, mix32(seed, item));
      contexts.set(item, contextItem);
    });
    const max = best.scores[0] ?? 1;
    best.items.forEach((item, rank) => {
      selected.push({
        item,
        score: (floor * best.scores[rank]!) / max,
        strategy: `fallback:${fallback.strategy}`,
        context: contexts.get(item) ?? -1,
      });
    });
  }

  if (mode === "apply") {
    state.attribution.recordResponse(
      recId,
      placementId,
      selected.map((entry) => entry.item),
      selected.map((entry) => entry.strategy),
      timeMs,
    );
    state.requests++;
  }
  return {
    rec_id: recId,
    placement: placementId,
    items: selected.map((entry) => {
      const item = { item_id: catalog.itemId(entry.item), score: entry.score, strategy: entry.strategy };
      return entry.context >= 0 ? { ...item, context_item_id: catalog.itemId(entry.context) } : item;
    }),
  };
}

/**
 * Everything that can make a request fail, checked without changing anything: the placement exists, the count
 * is within its max_count, the request's filter can apply. Throws the SibylEngineError that `recommend` would.
 */
export function checkRequest(
  state: EngineState,
  request: RecommendationRequest,
  placementOverride?: CompiledPlacement,
) {
  const placementId = placementOverride?.id ?? request.placement ?? "search";
  const placement = placementOverride ?? state.placements.get(placementId);
  const count = request.count ?? placement.count;
  if (count > placement.maxCount) {
    throw new InvalidRequestError(
      "/count",
      `count ${count} exceeds the placement's max_count ${placement.maxCount}`,
    );
  }
  const requestFilter =
    request.filter === undefined ? undefined : state.placements.compileFilter(request.filter);
  return { placementId, placement, count, requestFilter };
}

function passes(filter: ItemPredicate | undefined, item: number): boolean {
  return filter === undefined || filter(item);
}

function addVisitorExclusions(
  state: EngineState,
  placement: CompiledPlacement,
  profile: number,
  timeMs: number,
  excluded: Set<number>,
): void {
  if (profile < 0) return;
  const { visitors } = state;
  if (placement.exclude.inCart) for (const item of visitors.carts.get(profile) ?? []) excluded.add(item);
  if (placement.exclude.purchased)
    for (const item of visitors.purchased.get(profile)?.keys() ?? []) excluded.add(item);
  if (placement.exclude.seenInSession) {
    const since = Math.floor(visitors.sessionStartOf(profile, timeMs) / 1000);
    visitors.history.forEachNewest(profile, (item, _kind, timeSec) => {
      if (timeSec < since) return false;
      excluded.add(item);
    });
  }
}

function generateRecId(
  state: EngineState,
  request: RecommendationRequest,
  placement: string,
  timeMs: number,
): string {
  const who = request.user_info.user_id ?? request.user_info.visitor_id;
  const hash = hash32(`${timeMs}|${who}|${placement}|${request.event_id ?? ""}|${state.requests}`);
  return `r-${timeMs.toString(36)}-${hash.toString(36).padStart(7, "0")}-${state.requests.toString(36)}`;
}
