import type { SibylEvent, UserInfo } from "@sibyl/events";

/** The event types that say a visitor interacted with items: what a target can be and what "seen" means. */
export const INTERACTION_TYPES = [
  "DetailItemView",
  "AddToCart",
  "PurchaseComplete",
  "RateItem",
  "AddToList",
  "VideoInteraction",
  "ImageInteraction",
  "OtherInteraction",
] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

export interface Interaction {
  /** The profile the engine keeps the event under: the user id when logged in, else the visitor id. */
  visitor: string;
  userInfo: UserInfo;
  /** Distinct item ids, in the event's order. */
  items: string[];
  /** False for `privacy: "non_personalized"` events: they count in aggregates, never against the visitor. */
  personal: boolean;
}

export function isInteractionType(type: string): type is InteractionType {
  return (INTERACTION_TYPES as readonly string[]).includes(type);
}

/** The visitor and items of an interaction event; undefined for every other event. */
export function interactionOf(event: SibylEvent): Interaction | undefined {
  let refs: readonly { item_id: string }[];
  switch (event.event_type) {
    case "AddToCart":
    case "PurchaseComplete":
      refs = event.items;
      break;
    case "DetailItemView":
    case "RateItem":
    case "AddToList":
    case "VideoInteraction":
    case "ImageInteraction":
    case "OtherInteraction":
      refs = [event.item];
      break;
    default:
      return undefined;
  }
  const userInfo = event.user_info;
  return {
    visitor: userInfo.user_id ?? userInfo.visitor_id,
    userInfo,
    items: [...new Set(refs.map((ref) => ref.item_id))],
    personal: userInfo.privacy !== "non_personalized",
  };
}
