import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { SibylEvent } from "@sibyl/events";

/** The real datasets, beside the checkout (see the project README). */
export const OTTO_SAMPLE = fileURLToPath(
  new URL("../../../../shared/data/otto-sample/train.jsonl", import.meta.url),
);

/** Two hours ago, to the minute: requests sent now are stamped now, so the shop's history is recent, as a live one's is. */
const T0 = Math.floor((Date.now() - 2 * 3600_000) / 60_000) * 60_000;
const minute = (n: number) => T0 + n * 60_000;

const ITEMS: [id: string, title: string, category: string, brand: string, price: number][] = [
  ["tent", "Trail tent 2P", "Outdoor > Tents", "Northpeak", 249],
  ["tent-xl", "Family tent 6P", "Outdoor > Tents", "Acme", 499],
  ["mat", "Sleeping mat", "Outdoor > Sleeping", "Northpeak", 59],
  ["bag", "Down sleeping bag", "Outdoor > Sleeping", "Acme", 189],
  ["stove", "Camp stove", "Outdoor > Cooking", "Northpeak", 79],
  ["pot", "Titanium pot", "Outdoor > Cooking", "Acme", 39],
  ["lamp", "Head lamp", "Outdoor > Lighting", "Northpeak", 29],
  ["poles", "Trekking poles", "Outdoor > Hiking", "Acme", 69],
];

/** A small shop: a catalog, visitors browsing and buying, recommendations shown and clicked. */
export function shopEvents(): SibylEvent[] {
  const events: SibylEvent[] = ITEMS.map(([item_id, title, category, brand, price]) => ({
    event_type: "ItemUpsert",
    item_id,
    title,
    categories: [category],
    brand,
    price: { display: price, currency: "EUR" },
    in_stock: true,
    event_time: T0,
  }));
  const journeys: [visitor: string, items: string[]][] = [
    ["ann", ["tent", "mat", "bag", "stove"]],
    ["bob", ["tent", "mat", "lamp"]],
    ["cid", ["tent", "bag", "mat", "pot"]],
    ["dee", ["stove", "pot", "lamp"]],
    ["eve", ["tent-xl", "bag", "poles"]],
    ["fay", ["tent", "mat", "poles", "lamp"]],
  ];
  journeys.forEach(([visitor, items], index) => {
    items.forEach((item, step) => {
      events.push({
        event_type: "DetailItemView",
        user_info: { visitor_id: visitor },
        item: { item_id: item },
        event_time: minute(10 * index + step),
      });
    });
  });
  events.push(
    {
      event_type: "AddToCart",
      user_info: { visitor_id: "ann" },
      items: [{ item_id: "tent" }],
      event_time: minute(70),
    },
    {
      event_type: "PurchaseComplete",
      user_info: { visitor_id: "ann" },
      items: [{ item_id: "tent", quantity: 1, price: 249 }],
      transaction: { id: "order-1", revenue: 249, currency: "EUR" },
      event_time: minute(71),
    },
  );
  return events;
}

/** Requests answered, shown and clicked, so the dashboard's placement table has something to say. */
export function recommendationTraffic(recIds: readonly string[], visitor: string): SibylEvent[] {
  return recIds.flatMap((rec_id, index): SibylEvent[] => [
    { event_type: "RecoShow", user_info: { visitor_id: visitor }, rec_id, item_ids: ["mat", "bag", "stove"] },
    ...(index % 2 === 0
      ? [{ event_type: "RecoAck", user_info: { visitor_id: visitor }, rec_id, item_id: "mat" } as SibylEvent]
      : []),
  ]);
}

/** The OTTO sample's sessions as Sibyl events: clicks are detail views, carts add to cart, orders purchases. */
export function ottoEvents(): SibylEvent[] {
  const events: SibylEvent[] = [];
  for (const line of readFileSync(OTTO_SAMPLE, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const session = JSON.parse(line) as {
      session: number;
      events: { aid: number; ts: number; type: string }[];
    };
    const user_info = { visitor_id: `otto-${session.session}` };
    const orders = new Map<number, string[]>();
    for (const { aid, ts, type } of session.events) {
      const item_id = String(aid);
      if (type === "clicks")
        events.push({ event_type: "DetailItemView", user_info, item: { item_id }, event_time: ts });
      else if (type === "carts")
        events.push({ event_type: "AddToCart", user_info, items: [{ item_id }], event_time: ts });
      else orders.set(ts, [...(orders.get(ts) ?? []), item_id]);
    }
    for (const [ts, items] of orders)
      events.push({
        event_type: "PurchaseComplete",
        user_info,
        items: items.map((item_id) => ({ item_id })),
        transaction: { id: `otto-${session.session}-${ts}`, revenue: 0, currency: "EUR" },
        event_time: ts,
      });
  }
  return events;
}
