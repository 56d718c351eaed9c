import type { SibylEvent } from "@sibyl/events";

const T0 = Date.UTC(2026, 0, 1);

/**
 * A deterministic little shop: a catalog first, then views, carts and purchases by a few hundred visitors. Every
 * event has an event_id, so a test can tell exactly which acknowledged events reached the log.
 */
export function shopEvents(count: number, seed = 1, prefix = "e"): SibylEvent[] {
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const events: SibylEvent[] = [];
  for (let index = 0; index < count; index++) {
    const time = T0 + index * 1_000;
    const event_id = `${prefix}-${seed}-${index}`;
    const item = `sku-${Math.floor(random() ** 2 * 80)}`;
    const user_info = { visitor_id: `v-${Math.floor(random() * 300)}` };
    const roll = random();
    if (index < 80) {
      events.push({
        event_type: "ItemUpsert",
        event_id,
        item_id: `sku-${index}`,
        title: `Item ${index}`,
        categories: [`Shop > C${index % 5}`],
        event_time: time,
      });
    } else if (roll < 0.8) {
      events.push({
        event_type: "DetailItemView",
        event_id,
        user_info,
        item: { item_id: item },
        event_time: time,
      });
    } else if (roll < 0.93) {
      events.push({
        event_type: "AddToCart",
        event_id,
        user_info,
        items: [{ item_id: item }],
        event_time: time,
      });
    } else {
      events.push({
        event_type: "PurchaseComplete",
        event_id,
        user_info,
        items: [{ item_id: item }],
        transaction: { id: `o-${seed}-${index}`, revenue: 10, currency: "EUR" },
        event_time: time,
      });
    }
  }
  return events;
}
