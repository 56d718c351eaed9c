import type { RecoRequest, RecoResponse, SmartSearchRequest } from "@sibyl/events";
import type { ReducerContext } from "../reducers/reducer.js";

/**
 * On a shared log a recommendation request travels with the answer the replica that took it gave. Every replica
 * — that one included, when it reads the request back — applies the answer as it stands instead of computing one:
 * all of them remember the same response for attribution, and only one of them paid for answering. Applying it
 * does what answering does to the state: the visitor's profile is touched, the response is remembered under its
 * rec_id, the request is counted.
 */
export function applyRecordedAnswer(
  request: RecoRequest | SmartSearchRequest,
  answer: RecoResponse,
  { state, timeMs }: ReducerContext,
): RecoResponse {
  state.profileFor(request.user_info, timeMs);
  const items: number[] = [];
  const strategies: string[] = [];
  for (const entry of answer.items) {
    const item = state.catalog.ids.lookup(entry.item_id);
    if (item < 0) continue;
    items.push(item);
    strategies.push(entry.strategy);
  }
  state.attribution.recordResponse(answer.rec_id, answer.placement, items, strategies, timeMs);
  state.requests++;
  return answer;
}

/** Reads an answer as logged; undefined for bytes that are not one (the request is then answered anew). */
export function decodeAnswer(bytes: Uint8Array, recId: string | undefined): RecoResponse | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  const answer = value as Partial<RecoResponse>;
  const wellFormed =
    answer.rec_id === recId &&
    typeof answer.placement === "string" &&
    Array.isArray(answer.items) &&
    answer.items.every(
      (item) =>
        item !== null &&
        typeof item === "object" &&
        typeof item.item_id === "string" &&
        typeof item.strategy === "string",
    );
  return wellFormed ? (answer as RecoResponse) : undefined;
}
