import type { EventType, SibylEvent } from "@sibyl/events";
import type { EngineState } from "../state/engine-state.js";
import type { Candidates } from "../strategies/candidates.js";

/** What a reducer works with: the state, the request scratch space, and the event's time (stamped or "now"). */
export interface ReducerContext {
  state: EngineState;
  candidates: Candidates;
  timeMs: number;
}

/** Folds one event of type `K` into the state; may return a response (recommendation requests do). */
export type Reducer<K extends EventType> = (
  event: Extract<SibylEvent, { event_type: K }>,
  context: ReducerContext,
) => unknown;

/**
 * One reducer per event type. The mapped type over the generated union makes a schema without a reducer a type
 * error, so adding an event type cannot be half done.
 */
export type ReducerTable = { readonly [K in EventType]: Reducer<K> };
export type ReducerGroup<K extends EventType> = { readonly [T in K]: Reducer<T> };
