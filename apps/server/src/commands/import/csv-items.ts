import type { SibylEvent, UserInfo } from "@sibyl/events";
import { type Column, contentId, parseTime, type TimeUnit, timeUnitName } from "./csv-columns.js";
import type { CsvRow } from "./csv-records.js";
import { checked, rejectedLine, type SourceItem } from "./import-source.js";

/** The event types a row of user, item, event and time can become. */
export const CSV_EVENT_TYPES = [
  "DetailItemView",
  "AddToCart",
  "RemoveFromCart",
  "AddToList",
  "RemoveFromList",
  "PurchaseComplete",
  "OtherInteraction",
] as const;
export type CsvEventType = (typeof CSV_EVENT_TYPES)[number];

/** How the rows of a CSV log become events. */
export interface CsvMapping {
  user: Column;
  item: Column;
  event: Column;
  time: Column;
  session?: Column;
  /** The user column holds anonymous visitor ids: no user_id is set. */
  anonymous: boolean;
  timeUnit: TimeUnit;
  /** Event value → event type. */
  map: ReadonlyMap<string, CsvEventType>;
  /** The list of AddToList and RemoveFromList. */
  listId: string;
  /** Event values the map does not name reject their line instead of being skipped. */
  strict: boolean;
}

/** CSV logs carry no prices: a purchase's revenue is unknown, so it is 0 in the no-currency code. */
const NO_CURRENCY = "XXX";
const MAX_ORDER_ITEMS = 200;

interface Purchase {
  line: number;
  user: string;
  time: number;
  userInfo: UserInfo;
  items: string[];
}

/**
 * The rows of a user/item/event/time log as events, in file order. Consecutive purchase rows of one visitor at one
 * time are one order (one `PurchaseComplete` with every item), as shops log an order one line per item.
 */
export async function* csvItems(
  rows: AsyncIterable<CsvRow>,
  mapping: CsvMapping,
): AsyncGenerator<SourceItem, void, undefined> {
  let purchase: Purchase | undefined;
  const columns = [mapping.user, mapping.item, mapping.event, mapping.time];
  const known = [...mapping.map.keys()].join(", ");

  for await (const row of rows) {
    if (row.kind !== "record") {
      if (purchase) yield purchaseItem(purchase);
      purchase = undefined;
      yield row.kind === "blank"
        ? { kind: "blank", line: row.line }
        : rejectedLine(row.line, "", row.message);
      continue;
    }
    const { line, fields } = row;
    const missing = columns.find((column) => fields[column.index] === undefined);
    const read = (column: Column) => fields[column.index]?.trim() ?? "";
    const user = read(mapping.user);
    const item = read(mapping.item);
    const value = read(mapping.event);
    const type = mapping.map.get(value);
    const time = parseTime(read(mapping.time), mapping.timeUnit);

    let problem: SourceItem | undefined;
    if (missing)
      problem = rejectedLine(line, missing.pointer, `is missing: the line has ${fields.length} fields`);
    else if (user === "") problem = rejectedLine(line, mapping.user.pointer, "is empty");
    else if (item === "") problem = rejectedLine(line, mapping.item.pointer, "is empty");
    else if (type === undefined)
      problem = mapping.strict
        ? rejectedLine(line, mapping.event.pointer, `"${value}" is not an event value of --map (${known})`)
        : { kind: "skipped", line, reason: `event value "${value}" is not in --map` };
    else if (time === undefined)
      problem = rejectedLine(
        line,
        mapping.time.pointer,
        `"${read(mapping.time)}" is not ${timeUnitName(mapping.timeUnit)}`,
      );
    if (problem !== undefined || type === undefined || time === undefined) {
      if (purchase) yield purchaseItem(purchase);
      purchase = undefined;
      if (problem) yield problem;
      continue;
    }

    const session = mapping.session ? read(mapping.session) : "";
    const userInfo: UserInfo = {
      visitor_id: user,
      ...(mapping.anonymous ? {} : { user_id: user }),
      ...(session === "" ? {} : { session_id: session }),
    };
    if (type === "PurchaseComplete") {
      if (
        purchase &&
        purchase.user === user &&
        purchase.time === time &&
        purchase.items.length < MAX_ORDER_ITEMS
      ) {
        if (!purchase.items.includes(item)) purchase.items.push(item);
        continue;
      }
      if (purchase) yield purchaseItem(purchase);
      purchase = { line, user, time, userInfo, items: [item] };
      continue;
    }
    if (purchase) yield purchaseItem(purchase);
    purchase = undefined;
    yield checked(line, rowEvent(type, value, item, time, userInfo, mapping.listId, user));
  }
  if (purchase) yield purchaseItem(purchase);
}

function rowEvent(
  type: Exclude<CsvEventType, "PurchaseComplete">,
  value: string,
  item_id: string,
  event_time: number,
  user_info: UserInfo,
  list_id: string,
  user: string,
): SibylEvent {
  const envelope = {
    event_id: contentId("csv", [user, item_id, value, String(event_time)]),
    event_time,
    user_info,
  };
  const item = { item_id };
  switch (type) {
    case "DetailItemView":
      return { event_type: type, ...envelope, item };
    case "AddToCart":
    case "RemoveFromCart":
      return { event_type: type, ...envelope, items: [item] };
    case "AddToList":
    case "RemoveFromList":
      return { event_type: type, ...envelope, list_id, item };
    case "OtherInteraction":
      return { event_type: type, ...envelope, item, interaction_name: value };
  }
}

function purchaseItem({ line, user, time, userInfo, items }: Purchase): SourceItem {
  return checked(line, {
    event_type: "PurchaseComplete",
    event_id: contentId("csv", [user, String(time), "purchase", ...items]),
    event_time: time,
    user_info: userInfo,
    items: items.map((item_id) => ({ item_id })),
    transaction: { id: contentId("csv-order", [user, String(time)]), revenue: 0, currency: NO_CURRENCY },
  });
}
