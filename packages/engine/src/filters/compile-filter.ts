import type { Filter } from "@sibyl/events";
import { InvalidFilterError } from "../errors/engine-errors.js";
import { type ItemFields, normaliseCategoryPath } from "./item-fields.js";

/** A compiled filter: does the item with this dense index match? */
export type ItemPredicate = (item: number) => boolean;

/** How many combinators (all, any, not) may enclose a filter. */
export const MAX_FILTER_NESTING = 32;

type Scalar = string | number | boolean;

/** A field resolved once at compile time: its kind decides which operators apply, `get` reads it. */
type FieldAccessor =
  | {
      readonly kind: "text";
      readonly name: string;
      readonly always: boolean;
      readonly get: (item: number) => string | undefined;
    }
  | { readonly kind: "number"; readonly name: string; readonly get: (item: number) => number | undefined }
  | { readonly kind: "boolean"; readonly name: string; readonly get: (item: number) => boolean }
  | {
      readonly kind: "list";
      readonly name: string;
      readonly categories: boolean;
      readonly get: (item: number) => readonly string[];
    }
  | { readonly kind: "attribute"; readonly name: string; readonly get: (item: number) => Scalar | undefined };

const ATTRIBUTE_FIELD = /^attributes\.([A-Za-z][A-Za-z0-9_.-]{0,63})$/;
const FIELD_NAMES =
  "item_id, item_type, title, brand, categories, tags, price, original_price, currency, in_stock, published_at or attributes.<name>";
const FILTER_KEYS = "all, any, not, eq, in, range, exists, category_under";

const ALWAYS: ItemPredicate = () => true;

/**
 * Compiles a structured {@link Filter} once into a predicate over dense item indexes. All validation, field
 * resolution, value normalisation and set building happen here; the returned closure does no JSON
 * interpretation and no string switching per call. Throws {@link InvalidFilterError} (with a JSON pointer
 * inside the filter) when the filter cannot be applied.
 *
 * Semantics:
 * - Every filter object has exactly one key (keys whose value is `undefined` are ignored); zero, several or
 *   unknown keys are errors.
 * - `all`: every sub-filter matches; `any`: at least one matches; both need a non-empty array. `not`
 *   negates. A filter may be enclosed by at most {@link MAX_FILTER_NESTING} (32) combinators; deeper
 *   filters are errors (pointer of the too-deep filter).
 * - Fields: `item_id`, `item_type`, `title`, `brand`, `currency` are text; `price`, `original_price`,
 *   `published_at` are numbers; `in_stock` is a boolean; `categories`, `tags` are lists of strings, and a
 *   condition on a list matches when ANY element matches; `attributes.<name>` is a custom attribute of any
 *   type, compared as stored (strict equality: the number 1 does not equal the string "1"). Any other field
 *   is an error at `.../field`.
 * - `eq`: the field equals the value (exact, case-sensitive). A missing value never matches. Comparing a
 *   number field with a non-number, a text or list field with a non-string, or `in_stock` with a
 *   non-boolean is an error at `/eq/value`. Values compared with `categories` are normalised like category
 *   paths first ("Shoes>Running" equals "Shoes > Running").
 * - `in`: the field equals one of `values` (a non-empty array), with the same type checks as `eq`, each at
 *   `/in/values/<index>`.
 * - `range`: `gte`, `gt`, `lte`, `lt` bounds (at least one, each a number); when both an inclusive and an
 *   exclusive bound are given on a side, the stricter applies. Applies to number fields and attributes;
 *   an attribute matches only when its stored value is a number. On text, list or boolean fields it is an
 *   error at `/range/field`. A missing value never matches.
 * - `exists`: the field has a value. Lists exist when non-empty; `item_id`, `item_type` and `in_stock`
 *   always exist.
 * - `category_under`: the item has a category equal to the (normalised) path or below it, i.e. starting
 *   with the path followed by " > "; "Shoes" matches "Shoes" and "Shoes > Running" but not "Shoes Outlet".
 *   A path without any non-empty level is an error.
 * - Condition objects (`eq`, `in`, `range`, `exists`) may only hold their documented properties.
 */
export function compileFilter(filter: Filter, items: ItemFields): ItemPredicate {
  return compileNode(filter, "", 0, items);
}

function compileNode(node: unknown, pointer: string, nesting: number, items: ItemFields): ItemPredicate {
  if (nesting > MAX_FILTER_NESTING) {
    throw new InvalidFilterError(pointer, `filters nest deeper than ${MAX_FILTER_NESTING} levels`);
  }
  if (!isObject(node)) throw new InvalidFilterError(pointer, "a filter must be an object");
  const keys = definedKeys(node);
  if (keys.length !== 1) {
    throw new InvalidFilterError(
      pointer,
      keys.length === 0
        ? `a filter needs exactly one key (${FILTER_KEYS}), it has none`
        : `a filter needs exactly one key, it has ${keys.length} (${keys.join(", ")})`,
    );
  }
  const key = keys[0]!;
  const body = node[key];
  const at = `${pointer}/${escapePointer(key)}`;
  switch (key) {
    case "all":
      return allOf(compileChildren(body, at, nesting, items));
    case "any":
      return anyOf(compileChildren(body, at, nesting, items));
    case "not": {
      const inner = compileNode(body, at, nesting + 1, items);
      return (item) => !inner(item);
    }
    case "eq":
      return compileEq(body, at, items);
    case "in":
      return compileIn(body, at, items);
    case "range":
      return compileRange(body, at, items);
    case "exists":
      return compileExists(body, at, items);
    case "category_under":
      return compileCategoryUnder(body, at, items);
    default:
      throw new InvalidFilterError(at, `unknown filter key "${key}"; expected one of ${FILTER_KEYS}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Combinators

function compileChildren(body: unknown, at: string, nesting: number, items: ItemFields): ItemPredicate[] {
  if (!Array.isArray(body)) throw new InvalidFilterError(at, "must be an array of filters");
  if (body.length === 0) throw new InvalidFilterError(at, "must contain at least one filter");
  return body.map((child: unknown, k) => compileNode(child, `${at}/${k}`, nesting + 1, items));
}

function allOf(parts: readonly ItemPredicate[]): ItemPredicate {
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 2) {
    const a = parts[0]!;
    const b = parts[1]!;
    return (item) => a(item) && b(item);
  }
  if (parts.length === 3) {
    const a = parts[0]!;
    const b = parts[1]!;
    const c = parts[2]!;
    return (item) => a(item) && b(item) && c(item);
  }
  const all = parts.slice();
  return (item) => {
    for (let k = 0; k < all.length; k++) if (!all[k]!(item)) return false;
    return true;
  };
}

function anyOf(parts: readonly ItemPredicate[]): ItemPredicate {
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 2) {
    const a = parts[0]!;
    const b = parts[1]!;
    return (item) => a(item) || b(item);
  }
  if (parts.length === 3) {
    const a = parts[0]!;
    const b = parts[1]!;
    const c = parts[2]!;
    return (item) => a(item) || b(item) || c(item);
  }
  const any = parts.slice();
  return (item) => {
    for (let k = 0; k < any.length; k++) if (any[k]!(item)) return true;
    return false;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Conditions

function compileEq(body: unknown, at: string, items: ItemFields): ItemPredicate {
  const condition = conditionObject(body, at, ["field", "value"]);
  const field = resolveField(condition.field, `${at}/field`, items);
  const value = checkValue(field, condition.value, `${at}/value`);
  return equals(field, value);
}

function compileIn(body: unknown, at: string, items: ItemFields): ItemPredicate {
  const condition = conditionObject(body, at, ["field", "values"]);
  const field = resolveField(condition.field, `${at}/field`, items);
  const raw = condition.values;
  if (!Array.isArray(raw)) throw new InvalidFilterError(`${at}/values`, "values must be an array");
  if (raw.length === 0) throw new InvalidFilterError(`${at}/values`, "values must not be empty");
  const values = new Set<Scalar>(
    raw.map((value: unknown, k) => checkValue(field, value, `${at}/values/${k}`)),
  );
  if (values.size === 1) return equals(field, values.values().next().value as Scalar);
  switch (field.kind) {
    case "boolean":
      // Two distinct booleans: every item matches.
      return ALWAYS;
    case "list": {
      const get = field.get;
      return (item) => {
        const list = get(item);
        for (let k = 0; k < list.length; k++) if (values.has(list[k]!)) return true;
        return false;
      };
    }
    default: {
      const get: (item: number) => Scalar | undefined = field.get;
      return (item) => {
        const value = get(item);
        return value !== undefined && values.has(value);
      };
    }
  }
}

function compileRange(body: unknown, at: string, items: ItemFields): ItemPredicate {
  const condition = conditionObject(body, at, ["field", "gte", "gt", "lte", "lt"]);
  const field = resolveField(condition.field, `${at}/field`, items);
  if (field.kind !== "number" && field.kind !== "attribute") {
    throw new InvalidFilterError(
      `${at}/field`,
      `range needs a number field or an attribute; ${field.name} is ${describeKind(field)}`,
    );
  }
  const gte = bound(condition.gte, `${at}/gte`);
  const gt = bound(condition.gt, `${at}/gt`);
  const lte = bound(condition.lte, `${at}/lte`);
  const lt = bound(condition.lt, `${at}/lt`);
  if (gte === undefined && gt === undefined && lte === undefined && lt === undefined) {
    throw new InvalidFilterError(at, "range needs at least one of gte, gt, lte, lt");
  }
  // Fold each side into one bound; the stricter one wins. Absent sides become infinite inclusive bounds.
  let lo = Number.NEGATIVE_INFINITY;
  let loStrict = false;
  if (gte !== undefined) lo = gte;
  if (gt !== undefined && (gte === undefined || gt >= gte)) {
    lo = gt;
    loStrict = true;
  }
  let hi = Number.POSITIVE_INFINITY;
  let hiStrict = false;
  if (lte !== undefined) hi = lte;
  if (lt !== undefined && (lte === undefined || lt <= lte)) {
    hi = lt;
    hiStrict = true;
  }
  // `typeof` both skips missing values and, for attributes, non-number stored values.
  const get: (item: number) => Scalar | undefined = field.get;
  if (loStrict) {
    if (hiStrict) {
      return (item) => {
        const v = get(item);
        return typeof v === "number" && v > lo && v < hi;
      };
    }
    return (item) => {
      const v = get(item);
      return typeof v === "number" && v > lo && v <= hi;
    };
  }
  if (hiStrict) {
    return (item) => {
      const v = get(item);
      return typeof v === "number" && v >= lo && v < hi;
    };
  }
  return (item) => {
    const v = get(item);
    return typeof v === "number" && v >= lo && v <= hi;
  };
}

function compileExists(body: unknown, at: string, items: ItemFields): ItemPredicate {
  const condition = conditionObject(body, at, ["field"]);
  const field = resolveField(condition.field, `${at}/field`, items);
  switch (field.kind) {
    case "boolean":
      return ALWAYS;
    case "list": {
      const get = field.get;
      return (item) => get(item).length > 0;
    }
    case "text":
      if (field.always) return ALWAYS;
      break;
  }
  const get: (item: number) => Scalar | undefined = field.get;
  return (item) => get(item) !== undefined;
}

function compileCategoryUnder(body: unknown, at: string, items: ItemFields): ItemPredicate {
  if (typeof body !== "string")
    throw new InvalidFilterError(at, "category_under must be a category path string");
  const path = normaliseCategoryPath(body);
  if (path === "") throw new InvalidFilterError(at, "category path has no non-empty level");
  const prefix = `${path} > `;
  return (item) => {
    const categories = items.categories(item);
    for (let k = 0; k < categories.length; k++) {
      const category = categories[k]!;
      if (category === path || category.startsWith(prefix)) return true;
    }
    return false;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

/** The specialised equality predicate for an already type-checked value. */
function equals(field: FieldAccessor, value: Scalar): ItemPredicate {
  switch (field.kind) {
    case "boolean": {
      const get = field.get;
      return value ? get : (item) => !get(item);
    }
    case "list": {
      const get = field.get;
      return (item) => {
        const list = get(item);
        for (let k = 0; k < list.length; k++) if (list[k] === value) return true;
        return false;
      };
    }
    default: {
      // A missing value is `undefined`, never equal to a checked value.
      const get: (item: number) => Scalar | undefined = field.get;
      return (item) => get(item) === value;
    }
  }
}

/** Checks a compared value against the field's kind; normalises category paths. */
function checkValue(field: FieldAccessor, value: unknown, pointer: string): Scalar {
  if (value === undefined) throw new InvalidFilterError(pointer, "a value is required");
  switch (field.kind) {
    case "text":
    case "list":
      if (typeof value !== "string") {
        throw new InvalidFilterError(
          pointer,
          `${field.name} is ${describeKind(field)}; the value must be a string`,
        );
      }
      return field.kind === "list" && field.categories ? normaliseCategoryPath(value) : value;
    case "number":
      if (typeof value !== "number" || Number.isNaN(value)) {
        throw new InvalidFilterError(pointer, `${field.name} is a number field; the value must be a number`);
      }
      return value;
    case "boolean":
      if (typeof value !== "boolean") {
        throw new InvalidFilterError(
          pointer,
          `${field.name} is a boolean field; the value must be true or false`,
        );
      }
      return value;
    case "attribute":
      if (
        typeof value === "string" ||
        typeof value === "boolean" ||
        (typeof value === "number" && !Number.isNaN(value))
      ) {
        return value;
      }
      throw new InvalidFilterError(pointer, "the value must be a string, a number or a boolean");
  }
}

function bound(value: unknown, pointer: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || Number.isNaN(value))
    throw new InvalidFilterError(pointer, "a bound must be a number");
  return value;
}

function resolveField(field: unknown, pointer: string, items: ItemFields): FieldAccessor {
  if (field === undefined) throw new InvalidFilterError(pointer, "a field is required");
  if (typeof field !== "string") throw new InvalidFilterError(pointer, "the field must be a string");
  switch (field) {
    case "item_id":
      return { kind: "text", name: field, always: true, get: (item) => items.itemId(item) };
    case "item_type":
      return { kind: "text", name: field, always: true, get: (item) => items.itemType(item) };
    case "title":
      return { kind: "text", name: field, always: false, get: (item) => items.title(item) };
    case "brand":
      return { kind: "text", name: field, always: false, get: (item) => items.brand(item) };
    case "currency":
      return { kind: "text", name: field, always: false, get: (item) => items.currency(item) };
    case "price":
      return { kind: "number", name: field, get: (item) => items.price(item) };
    case "original_price":
      return { kind: "number", name: field, get: (item) => items.originalPrice(item) };
    case "published_at":
      return { kind: "number", name: field, get: (item) => items.publishedAt(item) };
    case "in_stock":
      return { kind: "boolean", name: field, get: (item) => items.inStock(item) };
    case "categories":
      return { kind: "list", name: field, categories: true, get: (item) => items.categories(item) };
    case "tags":
      return { kind: "list", name: field, categories: false, get: (item) => items.tags(item) };
  }
  const match = ATTRIBUTE_FIELD.exec(field);
  if (match === null)
    throw new InvalidFilterError(pointer, `unknown field "${field}"; expected ${FIELD_NAMES}`);
  const name = match[1]!;
  return { kind: "attribute", name: field, get: (item) => items.attribute(item, name) };
}

function describeKind(field: FieldAccessor): string {
  switch (field.kind) {
    case "text":
      return "a text field";
    case "number":
      return "a number field";
    case "boolean":
      return "a boolean field";
    case "list":
      return "a list of strings";
    case "attribute":
      return "an attribute";
  }
}

/** Validates a condition object: an object holding only the allowed properties. */
function conditionObject(body: unknown, at: string, allowed: readonly string[]): Record<string, unknown> {
  if (!isObject(body)) throw new InvalidFilterError(at, "the condition must be an object");
  for (const key of definedKeys(body)) {
    if (!allowed.includes(key)) {
      throw new InvalidFilterError(
        `${at}/${escapePointer(key)}`,
        `unknown property "${key}"; expected ${allowed.join(", ")}`,
      );
    }
  }
  return body;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function definedKeys(object: Record<string, unknown>): string[] {
  return Object.keys(object).filter((key) => object[key] !== undefined);
}

/** Escapes a key for a JSON pointer (RFC 6901). */
function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
