import type { SibylEvent } from "@sibyl/events";
import { SeededRandom } from "./baselines/seeded-random.js";

export const T0 = Date.UTC(2026, 0, 1);
export const MINUTE = 60_000;

export function item(itemId: string, categories: string[] = []): SibylEvent {
  return { event_type: "ItemUpsert", item_id: itemId, title: itemId, categories, event_time: T0 };
}

export function view(visitor: string, itemId: string, time: number): SibylEvent {
  return {
    event_type: "DetailItemView",
    user_info: { visitor_id: visitor },
    item: { item_id: itemId },
    event_time: time,
  };
}

export function rate(visitor: string, itemId: string, rating: number, time: number): SibylEvent {
  return {
    event_type: "RateItem",
    user_info: { visitor_id: visitor },
    item: { item_id: itemId },
    rating,
    scale_max: 5,
    event_time: time,
  };
}

/**
 * A small shop with structure a recommender can find: items come in groups of five (one category each), and
 * every visitor browses one group in order, with a little noise from other groups. Seeded, so tests are exact.
 */
export function groupedShop(visitors = 60, seed = 7): SibylEvent[] {
  const random = new SeededRandom(seed);
  const groups = 8;
  const events: SibylEvent[] = [];
  for (let group = 0; group < groups; group++)
    for (let member = 0; member < 5; member++) events.push(item(`g${group}-i${member}`, [`Group ${group}`]));
  let time = T0 + MINUTE;
  for (let visitor = 0; visitor < visitors; visitor++) {
    const group = random.below(groups);
    const start = random.below(5);
    for (let step = 0; step < 4; step++) {
      const noisy = random.next() < 0.15;
      const itemId = noisy
        ? `g${random.below(groups)}-i${random.below(5)}`
        : `g${group}-i${(start + step) % 5}`;
      events.push(view(`v${visitor}`, itemId, time));
      time += MINUTE;
    }
    time += 2 * 60 * MINUTE;
  }
  return events;
}
