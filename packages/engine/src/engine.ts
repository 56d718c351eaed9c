import type { RecoRequest, RecoResponse, SibylEvent, SmartSearchRequest } from "@sibyl/events";
import {
  type ItemInspection,
  inspectItem,
  inspectVisitor,
  type VisitorInspection,
} from "./inspect/inspect.js";
import { type EngineOptions, type ResolvedOptions, resolveOptions } from "./options.js";
import { DEFAULT_PLACEMENTS, type PlacementConfig } from "./placements/default-placements.js";
import { checkRequest, recommend } from "./recommend/recommend.js";
import { REDUCERS } from "./reducers/index.js";
import type { Reducer, ReducerContext } from "./reducers/reducer.js";
import { type EngineStats, engineStats } from "./stats/stats.js";
import { EngineState } from "./state/engine-state.js";
import { HashingStateWriter } from "./state/state-writer.js";
import { Candidates } from "./strategies/candidates.js";

/** What applying one event did. */
export type ApplyOutcome = "applied" | "duplicate";

export interface BatchResult {
  applied: number;
  duplicates: number;
  /** Events the engine refused (e.g. a request for an unknown placement), by index in the batch. */
  failed: { index: number; error: Error }[];
}

/** A recommendation request; `event_type` defaults to RecoRequest. */
export type RecommendInput = RecoRequest | SmartSearchRequest | Omit<RecoRequest, "event_type">;

export interface Engine {
  readonly options: ResolvedOptions;
  /** Folds one event into the state. Throws a SibylEngineError, changing nothing, for an event it cannot apply. */
  apply(event: SibylEvent): ApplyOutcome;
  /** Throws the SibylEngineError `apply` would throw for this event, without applying it. */
  check(event: SibylEvent): void;
  /** Applies events in order; an event that fails is reported and the others still apply. */
  applyBatch(events: Iterable<SibylEvent>): BatchResult;
  /** Answers a request and applies it as an event (it is logged and attributed like one). */
  recommend(request: RecommendInput): RecoResponse;
  /** Answers a request without changing any state, optionally with a placement configuration that is not live. */
  preview(request: RecommendInput, placement?: PlacementConfig): RecoResponse;
  stats(): EngineStats;
  inspectItem(itemId: string): ItemInspection | undefined;
  inspectVisitor(id: string | { visitor_id: string } | { user_id: string }): VisitorInspection | undefined;
  placements(): PlacementConfig[];
  /** SHA-256 over the whole state: equal for two engines fed the same events in the same order. */
  stateHash(): string;
}

/** What the durable layer of this package (log, snapshots) needs beyond the public API. */
export interface EngineInternals {
  state: EngineState;
  /**
   * Applies one event; the reducer's result (a RecoResponse for requests). `reduce` replaces the event type's
   * reducer — a replica applies a request another replica already answered without answering it again.
   */
  applyEvent(
    event: SibylEvent,
    reduce?: (context: ReducerContext) => unknown,
  ): { outcome: ApplyOutcome; result: unknown };
}

const internals = new WeakMap<object, EngineInternals>();

/** Lets a wrapper (the durable engine) be used wherever the package needs its engine's internals. */
export function shareInternals(engine: Engine, wrapper: object): void {
  internals.set(wrapper, engineInternals(engine));
}

/** The internals of an engine made by createEngine (or a wrapper of one); not part of the package's exports. */
export function engineInternals(engine: object): EngineInternals {
  const found = internals.get(engine);
  if (!found) throw new TypeError("not an engine made by createEngine");
  return found;
}

/** Creates an in-memory engine, with the default placements unless `defaultPlacements: false`. */
export function createEngine(options: EngineOptions = {}): Engine {
  const resolved = resolveOptions(options);
  const state = new EngineState(resolved);
  const candidates = new Candidates();
  if (resolved.defaultPlacements)
    for (const placement of DEFAULT_PLACEMENTS) state.placements.upsert(placement);

  const applyOne = (
    event: SibylEvent,
    reduce?: (context: ReducerContext) => unknown,
  ): { outcome: ApplyOutcome; result: unknown } => {
    const timeMs = event.event_time ?? state.now;
    const eventId = event.event_id;
    if (eventId !== undefined && state.dedupe.isDuplicate(eventId, timeMs)) {
      state.duplicates++;
      return { outcome: "duplicate", result: undefined };
    }
    const reducer = REDUCERS[event.event_type] as Reducer<SibylEvent["event_type"]>;
    const result = reduce
      ? reduce({ state, candidates, timeMs })
      : reducer(event as never, { state, candidates, timeMs });
    if (eventId !== undefined) state.dedupe.remember(eventId, timeMs);
    if (timeMs > state.now) state.now = timeMs;
    state.eventCounts.set(event.event_type, (state.eventCounts.get(event.event_type) ?? 0) + 1);
    return { outcome: "applied", result };
  };

  const asRequest = (request: RecommendInput): RecoRequest | SmartSearchRequest =>
    "event_type" in request ? request : { ...request, event_type: "RecoRequest" };

  const engine: Engine = {
    options: resolved,
    apply: (event) => applyOne(event).outcome,
    check(event) {
      if (event.event_type === "RecoRequest" || event.event_type === "SmartSearchRequest")
        checkRequest(state, event);
      else if (event.event_type === "PlacementUpsert") {
        const { event_type: _type, event_id: _id, event_time: _time, ...config } = event;
        state.placements.compile(config);
      }
    },
    applyBatch(events) {
      const result: BatchResult = { applied: 0, duplicates: 0, failed: [] };
      let index = 0;
      for (const event of events) {
        try {
          if (applyOne(event).outcome === "applied") result.applied++;
          else result.duplicates++;
        } catch (error) {
          result.failed.push({ index, error: error instanceof Error ? error : new Error(String(error)) });
        }
        index++;
      }
      return result;
    },
    recommend(input) {
      const request = asRequest(input);
      const { outcome, result } = applyOne(request);
      if (outcome === "applied") return result as RecoResponse;
      return recommend(state, candidates, request, request.event_time ?? state.now, "preview");
    },
    preview(input, placement) {
      const request = asRequest(input);
      const override = placement === undefined ? undefined : state.placements.compile(placement);
      return recommend(state, candidates, request, request.event_time ?? state.now, "preview", override);
    },
    stats: () => engineStats(state),
    inspectItem: (itemId) => inspectItem(state, itemId),
    inspectVisitor: (id) => inspectVisitor(state, id),
    placements: () => state.placements.list(),
    stateHash() {
      const writer = new HashingStateWriter();
      state.writeState(writer);
      return writer.digest();
    },
  };
  internals.set(engine, { state, applyEvent: applyOne });
  return engine;
}
