import type { UserInfo } from "@sibyl/events";
import { grown } from "./growable.js";
import { hash32 } from "./hash.js";
import { Interner } from "./interner.js";
import { RingStore } from "./ring-store.js";
import type { StateReader } from "./state-reader.js";
import type { StateWriter } from "./state-writer.js";

const VISITOR = 0;
const USER = 1;
const NAMESPACE = { visitor: VISITOR, user: USER } as const;
const KEY_PREFIX = ["v:", "u:"] as const;

/**
 * Everything known per visitor ("profile"): a bounded ring of recent interactions, the current session, cart,
 * lists and purchases. A logged-in user has one profile keyed by user id; an anonymous visitor one keyed by
 * visitor id; `UserMerge` points a visitor's profile at the user's. Nothing here is kept for events sent with
 * `privacy: non_personalized`.
 */
export class Visitors {
  /** Visitor ids and user ids, numbered together: a profile is either. */
  readonly profiles = new Interner(2);
  readonly history: RingStore;
  /** Visitor profile → the user profile it was merged into, -1 when none (read on every anonymous event). */
  private alias = new Int32Array(0);
  private aliased = 0;
  private lastSeen = new Float64Array(0);
  private sessionStart = new Float64Array(0);
  private sessionHash = new Uint32Array(0);
  readonly carts = new Map<number, number[]>();
  /** Item → number of purchases, oldest first (insertion order), bounded per profile. */
  readonly purchased = new Map<number, Map<number, number>>();
  readonly lists = new Map<number, Map<string, number[]>>();

  constructor(
    historyLength: number,
    private readonly sessionTimeoutMs: number,
    private readonly purchasedPerVisitor: number,
  ) {
    this.history = new RingStore(historyLength);
  }

  /** The profile an event's user_info belongs to; -1 when it does not exist and `create` is false. */
  resolve(user: UserInfo, create: boolean): number {
    if (user.user_id !== undefined) {
      return create ? this.intern(user.user_id, USER) : this.profiles.lookup(user.user_id, USER);
    }
    const visitor = create
      ? this.intern(user.visitor_id, VISITOR)
      : this.profiles.lookup(user.visitor_id, VISITOR);
    if (visitor < 0) return visitor;
    const merged = this.alias[visitor]!;
    return merged >= 0 ? merged : visitor;
  }

  /** Looks a profile up by visitor id or user id without creating it. */
  find(kind: "visitor" | "user", id: string): number {
    const profile = this.profiles.lookup(id, NAMESPACE[kind]);
    if (kind === "user" || profile < 0) return profile;
    const merged = this.alias[profile]!;
    return merged >= 0 ? merged : profile;
  }

  /** The visitor or user id of a profile. */
  describe(profile: number): { kind: "visitor" | "user"; id: string } | undefined {
    const id = this.profiles.name(profile);
    if (id === undefined) return undefined;
    return { kind: this.profiles.namespaceOf(profile) === USER ? "user" : "visitor", id };
  }

  private intern(id: string, namespace: number): number {
    const profile = this.profiles.intern(id, namespace);
    if (profile >= this.lastSeen.length) {
      this.lastSeen = grown(this.lastSeen, profile + 1, Number.NEGATIVE_INFINITY);
      this.sessionStart = grown(this.sessionStart, profile + 1);
      this.sessionHash = grown(this.sessionHash, profile + 1);
      this.alias = grown(this.alias, profile + 1, -1);
    }
    return profile;
  }

  /** Records activity at `timeMs`; a new session starts after inactivity or with a new session_id. */
  touch(profile: number, timeMs: number, sessionId: string | undefined): void {
    const sessionHash = sessionId === undefined ? 0 : hash32(sessionId) | 1;
    const newSession =
      sessionHash !== 0 && this.sessionHash[profile] !== 0
        ? sessionHash !== this.sessionHash[profile]
        : timeMs - this.lastSeen[profile]! > this.sessionTimeoutMs;
    if (newSession) this.sessionStart[profile] = timeMs;
    if (sessionHash !== 0) this.sessionHash[profile] = sessionHash;
    if (timeMs > this.lastSeen[profile]!) this.lastSeen[profile] = timeMs;
  }

  /** Start of the profile's current session, in ms; the session has ended when it is older than the timeout. */
  sessionStartOf(profile: number, nowMs: number): number {
    if (profile < 0 || nowMs - this.lastSeen[profile]! > this.sessionTimeoutMs)
      return Number.POSITIVE_INFINITY;
    return this.sessionStart[profile]!;
  }

  addToCart(profile: number, item: number): void {
    const cart = this.carts.get(profile);
    if (!cart) this.carts.set(profile, [item]);
    else if (!cart.includes(item)) cart.push(item);
  }

  removeFromCart(profile: number, item: number): void {
    const cart = this.carts.get(profile);
    if (!cart) return;
    const at = cart.indexOf(item);
    if (at >= 0) cart.splice(at, 1);
    if (cart.length === 0) this.carts.delete(profile);
  }

  recordPurchase(profile: number, item: number, quantity: number): void {
    const bought = this.purchased.get(profile) ?? new Map<number, number>();
    this.purchased.set(profile, bought);
    const previous = bought.get(item) ?? 0;
    bought.delete(item);
    bought.set(item, previous + quantity);
    if (bought.size > this.purchasedPerVisitor) bought.delete(bought.keys().next().value!);
    this.removeFromCart(profile, item);
  }

  undoPurchase(profile: number, item: number, quantity: number): void {
    const bought = this.purchased.get(profile);
    const previous = bought?.get(item);
    if (!bought || previous === undefined) return;
    if (previous <= quantity) bought.delete(item);
    else bought.set(item, previous - quantity);
  }

  setListItem(profile: number, listId: string, item: number, present: boolean): void {
    const lists = this.lists.get(profile) ?? new Map<string, number[]>();
    if (!this.lists.has(profile)) {
      if (!present) return;
      this.lists.set(profile, lists);
    }
    const list = lists.get(listId) ?? [];
    const at = list.indexOf(item);
    if (present && at < 0) list.push(item);
    if (!present && at >= 0) list.splice(at, 1);
    if (list.length > 0) lists.set(listId, list);
    else lists.delete(listId);
    if (lists.size === 0) this.lists.delete(profile);
  }

  /** Joins a visitor's profile into a user's: history, cart, lists and purchases; later events follow the alias. */
  merge(visitorId: string, userId: string): void {
    const user = this.intern(userId, USER);
    const visitor = this.intern(visitorId, VISITOR);
    const previous = this.alias[visitor]!;
    this.setAlias(visitor, user);
    // A visitor merged before has no history of its own left: it joined the earlier user's.
    if (previous >= 0) return;
    this.history.merge(visitor, user);
    for (const item of this.carts.get(visitor) ?? []) this.addToCart(user, item);
    for (const [item, count] of this.purchased.get(visitor) ?? []) this.recordPurchase(user, item, count);
    for (const [listId, items] of this.lists.get(visitor) ?? []) {
      for (const item of items) this.setListItem(user, listId, item, true);
    }
    if (this.lastSeen[visitor]! > this.lastSeen[user]!) {
      this.lastSeen[user] = this.lastSeen[visitor]!;
      this.sessionStart[user] = this.sessionStart[visitor]!;
    }
    this.clearProfile(visitor);
  }

  private setAlias(visitor: number, user: number): void {
    if (this.alias[visitor]! < 0 && user >= 0) this.aliased++;
    if (this.alias[visitor]! >= 0 && user < 0) this.aliased--;
    this.alias[visitor] = user;
  }

  /**
   * Erases a visitor or user: their profile, the user a visitor was merged into, every visitor merged into that
   * user, and the ids themselves. Returns the erased ids as "v:<visitor id>" / "u:<user id>".
   */
  forget(kind: "visitor" | "user", id: string): string[] {
    const erased: string[] = [];
    for (const target of this.forgetTargets(kind, id)) {
      erased.push(KEY_PREFIX[this.profiles.namespaceOf(target)]! + this.profiles.name(target)!);
      this.clearProfile(target);
      this.setAlias(target, -1);
      this.profiles.delete(target);
    }
    return erased.sort();
  }

  /** The profiles `forget` erases. */
  forgetTargets(kind: "visitor" | "user", id: string): number[] {
    const profile = this.profiles.lookup(id, NAMESPACE[kind]);
    if (profile < 0) return [];
    const targets = new Set<number>([profile]);
    if (this.alias[profile]! >= 0) targets.add(this.alias[profile]!);
    if (this.aliased > 0) {
      for (let visitor = 0; visitor < this.profiles.capacity; visitor++) {
        if (targets.has(this.alias[visitor]!)) targets.add(visitor);
      }
    }
    return [...targets];
  }

  private clearProfile(profile: number): void {
    this.history.clear(profile);
    this.carts.delete(profile);
    this.purchased.delete(profile);
    this.lists.delete(profile);
    this.lastSeen[profile] = Number.NEGATIVE_INFINITY;
    this.sessionStart[profile] = 0;
    this.sessionHash[profile] = 0;
  }

  writeState(out: StateWriter): void {
    const profiles = this.profiles.capacity;
    out.section("visitors.profiles");
    this.profiles.writeState(out);
    out.section("visitors.alias");
    out.array(this.alias.subarray(0, profiles));
    out.section("visitors.sessions");
    out.array(this.lastSeen.subarray(0, profiles));
    out.array(this.sessionStart.subarray(0, profiles));
    out.array(this.sessionHash.subarray(0, profiles));
    out.section("visitors.history");
    this.history.writeState(out);
    out.section("visitors.carts");
    writeMap(out, this.carts, (items) => writeNumbers(out, items));
    out.section("visitors.purchased");
    writeMap(out, this.purchased, (bought) => writeMap(out, bought, (count) => out.f64(count)));
    out.section("visitors.lists");
    writeMap(out, this.lists, (lists) => {
      out.u32(lists.size);
      for (const [listId, items] of lists) {
        out.string(listId);
        writeNumbers(out, items);
      }
    });
  }

  readState(input: StateReader): void {
    input.section("visitors.profiles");
    this.profiles.readState(input);
    input.section("visitors.alias");
    this.alias = input.array(Int32Array);
    this.aliased = this.alias.reduce((count, user) => (user >= 0 ? count + 1 : count), 0);
    input.section("visitors.sessions");
    this.lastSeen = input.array(Float64Array);
    this.sessionStart = input.array(Float64Array);
    this.sessionHash = input.array(Uint32Array);
    input.section("visitors.history");
    this.history.readState(input);
    input.section("visitors.carts");
    readMap(input, this.carts, () => readNumbers(input));
    input.section("visitors.purchased");
    readMap(input, this.purchased, () => {
      const bought = new Map<number, number>();
      readMap(input, bought, () => input.f64());
      return bought;
    });
    input.section("visitors.lists");
    readMap(input, this.lists, () => {
      const lists = new Map<string, number[]>();
      const count = input.u32();
      for (let index = 0; index < count; index++) lists.set(input.string(), readNumbers(input));
      return lists;
    });
  }
}

function readNumbers(input: StateReader): number[] {
  const count = input.u32();
  const values = new Array<number>(count);
  for (let index = 0; index < count; index++) values[index] = input.u32();
  return values;
}

function readMap<V>(input: StateReader, map: Map<number, V>, readValue: () => V): void {
  map.clear();
  const count = input.u32();
  for (let index = 0; index < count; index++) {
    const key = input.u32();
    map.set(key, readValue());
  }
}

function writeNumbers(out: StateWriter, values: readonly number[]): void {
  out.u32(values.length);
  for (const value of values) out.u32(value);
}

function writeMap<V>(out: StateWriter, map: ReadonlyMap<number, V>, writeValue: (value: V) => void): void {
  out.u32(map.size);
  for (const [key, value] of map) {
    out.u32(key);
    writeValue(value);
  }
}
