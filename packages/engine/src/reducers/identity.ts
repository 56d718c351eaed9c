import type { ReducerGroup } from "./reducer.js";

export const identityReducers: ReducerGroup<"UserMerge" | "UserForget"> = {
  UserMerge(event, { state }) {
    state.visitors.merge(event.from_visitor_id, event.to_user_id);
  },
  UserForget(event, { state }) {
    const erasedProfiles = new Set(state.visitors.forgetTargets(event.id_kind, event.id));
    const erased = state.visitors.forget(event.id_kind, event.id);
    for (const key of erased) {
      state.offline.deleteOwner(key.startsWith("u:") ? "user" : "visitor", key.slice(2));
    }
    // Orders keep their items for refunds, but no longer who placed them.
    for (const order of state.orders.values()) if (erasedProfiles.has(order.profile)) order.profile = -1;
    return erased;
  },
};
