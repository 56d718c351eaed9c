import type { SibylEvent, UserInfo } from "@sibyl/events";
import { checked, rejectedLine, type SourceItem } from "./import-source.js";
import { jsonLines } from "./json-lines.js";
import type { Line } from "./split-lines.js";

/** The unit of OTTO's `ts`: milliseconds in the published JSON lines, seconds in some converted copies. */
export type OttoTimeUnit = "ms" | "s";

type OttoType = "clicks" | "carts" | "orders";
interface OttoAction {
  aid: number;
  ts: number;
  type: OttoType;
}

/** OTTO records carry no prices: an order's revenue is unknown, so it is 0 in the no-currency code. */
const NO_CURRENCY = "XXX";
const MAX_ORDER_ITEMS = 200;

/**
 * OTTO sessions (`{"session":N,"events":[{"aid","ts","type"}]}`, one per line) as events: clicks as
 * `DetailItemView`, carts as `AddToCart`, the orders of one session at one time as one `PurchaseComplete`. The
 * session is the visitor and the session id. A line is imported whole or not at all: a session with one bad
 * action is rejected, naming it, rather than imported with a hole.
 */
export async function* ottoItems(
  lines: AsyncIterable<Line>,
  maxLineBytes: number,
  timeUnit: OttoTimeUnit,
): AsyncGenerator<SourceItem, void, undefined> {
  for await (const item of jsonLines(lines, maxLineBytes)) {
    if (item.kind !== "json") {
      yield item;
      continue;
    }
    const { line, value } = item;
    const session = readSession(value, timeUnit);
    if ("pointer" in session) {
      yield rejectedLine(line, session.pointer, session.message);
      continue;
    }
    if (session.actions.length === 0) yield { kind: "skipped", line, reason: "a session without events" };
    else yield* sessionItems(line, session.id, session.actions);
  }
}

function* sessionItems(line: number, session: string, actions: OttoAction[]): Generator<SourceItem> {
  const items = sessionEvents(session, actions).map((event) => checked(line, event));
  const rejected = items.find((item) => item.kind === "rejected");
  if (rejected) yield rejected;
  else yield* items;
}

/** The events of one session, in its order; orders at one time are gathered where the first of them is. */
export function sessionEvents(session: string, actions: OttoAction[]): SibylEvent[] {
  const user_info: UserInfo = { visitor_id: session, session_id: session };
  const orders = new Map<number, string[]>();
  for (const { aid, ts, type } of actions) {
    if (type !== "orders") continue;
    const items = orders.get(ts) ?? [];
    if (!items.includes(String(aid))) items.push(String(aid));
    orders.set(ts, items);
  }
  const events: SibylEvent[] = [];
  for (const { aid, ts, type } of actions) {
    const item_id = String(aid);
    if (type === "clicks") {
      const event_id = `otto-${session}-${ts}-click-${aid}`;
      events.push({ event_type: "DetailItemView", event_id, event_time: ts, user_info, item: { item_id } });
    } else if (type === "carts") {
      const event_id = `otto-${session}-${ts}-cart-${aid}`;
      events.push({ event_type: "AddToCart", event_id, event_time: ts, user_info, items: [{ item_id }] });
    } else {
      const items = orders.get(ts);
      if (items === undefined) continue;
      orders.delete(ts);
      for (let start = 0; start < items.length; start += MAX_ORDER_ITEMS) {
        const part = start === 0 ? "" : `-${start / MAX_ORDER_ITEMS + 1}`;
        events.push({
          event_type: "PurchaseComplete",
          event_id: `otto-${session}-${ts}-order${part}`,
          event_time: ts,
          user_info,
          items: items.slice(start, start + MAX_ORDER_ITEMS).map((id) => ({ item_id: id })),
          transaction: { id: `otto-${session}-${ts}`, revenue: 0, currency: NO_CURRENCY },
        });
      }
    }
  }
  return events;
}

type Problem = { pointer: string; message: string };
const TYPES: ReadonlySet<string> = new Set(["clicks", "carts", "orders"]);

/** The session's id and actions (times in ms), or the pointer of the first value that is not as OTTO has it. */
function readSession(value: unknown, unit: OttoTimeUnit): { id: string; actions: OttoAction[] } | Problem {
  if (!isObject(value)) return { pointer: "", message: "must be a JSON object with session and events" };
  if (!isCount(value.session)) return { pointer: "/session", message: "must be a non-negative integer" };
  if (!Array.isArray(value.events)) return { pointer: "/events", message: "must be an array" };
  const actions: OttoAction[] = [];
  for (const [index, action] of value.events.entries()) {
    const at = `/events/${index}`;
    if (!isObject(action)) return { pointer: at, message: "must be an object with aid, ts and type" };
    if (!isCount(action.aid)) return { pointer: `${at}/aid`, message: "must be a non-negative integer" };
    if (!isCount(action.ts)) return { pointer: `${at}/ts`, message: "must be a non-negative integer" };
    if (typeof action.type !== "string" || !TYPES.has(action.type))
      return { pointer: `${at}/type`, message: "must be clicks, carts or orders" };
    const ts = unit === "s" ? action.ts * 1000 : action.ts;
    actions.push({ aid: action.aid, ts, type: action.type as OttoType });
  }
  return { id: String(value.session), actions };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
