import type { StrategyName, StrategyParams } from "@sibyl/events";
import type { EngineState } from "../state/engine-state.js";
import type { Candidates } from "./candidates.js";

/** What a strategy knows about the request it proposes candidates for. */
export interface RequestContext {
  state: EngineState;
  /** The visitor's profile, -1 for an unknown or non-personalised visitor. */
  profile: number;
  /** Context items (product page, cart), known ones only. */
  contextItems: readonly number[];
  /** The request's category id, -1 for none. */
  category: number;
  query: string | undefined;
  /** Candidate list to re-rank (SmartSearchRequest), in the order given. */
  resultItems: readonly number[] | undefined;
  nowMs: number;
  /** How many candidates a strategy should aim to offer so that enough survive exclusions and filters. */
  budget: number;
}

/** Proposes scored candidates for a request; scores are relative, the blend normalises them. */
export type Strategy = (request: RequestContext, params: StrategyParams, out: Candidates) => void;

export type StrategyTable = { readonly [K in StrategyName]: Strategy };
