import type { EqCondition, Filter } from "@sibyl/events";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidFilterError } from "../errors/engine-errors.js";
import { compileFilter, MAX_FILTER_NESTING } from "./compile-filter.js";
import { type ItemFields, normaliseCategoryPath } from "./item-fields.js";

interface FakeItem {
  id: string;
  type?: string;
  title?: string;
  brand?: string;
  categories?: string[];
  tags?: string[];
  price?: number;
  originalPrice?: number;
  currency?: string;
  inStock?: boolean;
  publishedAt?: number;
  attributes?: Record<string, string | number | boolean>;
}

const ITEMS: readonly FakeItem[] = [
  {
    id: "p1",
    title: "Trail Runner",
    brand: "Acme",
    categories: ["Shoes > Running", "Sale"],
    tags: ["new", "eco"],
    price: 100,
    originalPrice: 120,
    currency: "EUR",
    inStock: true,
    publishedAt: 1000,
    attributes: { color: "red", size: 42, waterproof: true },
  },
  { id: "p2", type: "article", title: "Guide", inStock: false },
  {
    id: "p3",
    brand: "Acme",
    categories: ["Shoes Outlet"],
    tags: ["eco"],
    price: 50,
    currency: "USD",
    inStock: true,
    publishedAt: 2000,
    attributes: { color: "blue", size: "42", waterproof: false },
  },
  {
    id: "p4",
    brand: "Bolt",
    categories: ["Shoes"],
    price: 0,
    originalPrice: 0,
    inStock: false,
    attributes: { size: 40 },
  },
  {
    id: "p5",
    categories: ["Shoes>Running>  Trail"],
    tags: ["sale"],
    price: 75.5,
    currency: "EUR",
    inStock: true,
    attributes: { size: 44.5, color: "Red" },
  },
  { id: "p6", categories: ["Apparel > Shoes"], price: 120, inStock: true },
];

/** An in-memory ItemFields over plain records, normalising category paths like the catalog does. */
function fakeFields(items: readonly FakeItem[]): ItemFields {
  const categories = items.map((item) => (item.categories ?? []).map(normaliseCategoryPath));
  const at = (i: number): FakeItem => {
    const item = items[i];
    if (item === undefined) throw new RangeError(`no item ${i}`);
    return item;
  };
  return {
    itemId: (i) => at(i).id,
    itemType: (i) => at(i).type ?? "product",
    title: (i) => at(i).title,
    brand: (i) => at(i).brand,
    categories: (i) => categories[i] ?? [],
    tags: (i) => at(i).tags ?? [],
    price: (i) => at(i).price,
    originalPrice: (i) => at(i).originalPrice,
    currency: (i) => at(i).currency,
    inStock: (i) => at(i).inStock ?? false,
    publishedAt: (i) => at(i).publishedAt,
    attribute: (i, name) => at(i).attributes?.[name],
  };
}

const FIELDS = fakeFields(ITEMS);
const ALL_IDS = ITEMS.map((item) => item.id);

/** The ids of the items the filter matches, in catalog order. */
function matching(filter: Filter): string[] {
  const predicate = compileFilter(filter, FIELDS);
  return ITEMS.filter((_, i) => predicate(i)).map((item) => item.id);
}

function expectInvalid(filter: unknown, pointer: string): InvalidFilterError {
  let caught: unknown;
  try {
    compileFilter(filter as Filter, FIELDS);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidFilterError);
  const error = caught as InvalidFilterError;
  expect(error.pointer).toBe(pointer);
  expect(error.code).toBe("invalid_filter");
  return error;
}

function nestNot(levels: number, inner: Filter): Filter {
  let filter = inner;
  for (let k = 0; k < levels; k++) filter = { not: filter };
  return filter;
}

describe("normaliseCategoryPath", () => {
  it("trims levels, drops empty ones and joins with ' > '", () => {
    expect(normaliseCategoryPath("Shoes")).toBe("Shoes");
    expect(normaliseCategoryPath("Shoes>Running")).toBe("Shoes > Running");
    expect(normaliseCategoryPath("  Shoes >  Running > ")).toBe("Shoes > Running");
    expect(normaliseCategoryPath("A>>B")).toBe("A > B");
    expect(normaliseCategoryPath("Shoes Outlet > Kids")).toBe("Shoes Outlet > Kids");
    expect(normaliseCategoryPath(" > ")).toBe("");
    expect(normaliseCategoryPath("")).toBe("");
  });
});

describe("compileFilter: eq", () => {
  it("compares text fields exactly", () => {
    expect(matching({ eq: { field: "item_id", value: "p3" } })).toEqual(["p3"]);
    expect(matching({ eq: { field: "item_type", value: "product" } })).toEqual([
      "p1",
      "p3",
      "p4",
      "p5",
      "p6",
    ]);
    expect(matching({ eq: { field: "item_type", value: "article" } })).toEqual(["p2"]);
    expect(matching({ eq: { field: "title", value: "Guide" } })).toEqual(["p2"]);
    expect(matching({ eq: { field: "brand", value: "Acme" } })).toEqual(["p1", "p3"]);
    expect(matching({ eq: { field: "brand", value: "acme" } })).toEqual([]);
    expect(matching({ eq: { field: "currency", value: "EUR" } })).toEqual(["p1", "p5"]);
  });

  it("compares number fields, zero included, and never matches a missing value", () => {
    expect(matching({ eq: { field: "price", value: 100 } })).toEqual(["p1"]);
    expect(matching({ eq: { field: "price", value: 0 } })).toEqual(["p4"]);
    expect(matching({ eq: { field: "original_price", value: 0 } })).toEqual(["p4"]);
    expect(matching({ eq: { field: "original_price", value: 120 } })).toEqual(["p1"]);
    expect(matching({ eq: { field: "published_at", value: 2000 } })).toEqual(["p3"]);
  });

  it("compares in_stock", () => {
    expect(matching({ eq: { field: "in_stock", value: true } })).toEqual(["p1", "p3", "p5", "p6"]);
    expect(matching({ eq: { field: "in_stock", value: false } })).toEqual(["p2", "p4"]);
  });

  it("matches a list when any element equals", () => {
    expect(matching({ eq: { field: "tags", value: "eco" } })).toEqual(["p1", "p3"]);
    expect(matching({ eq: { field: "tags", value: "new" } })).toEqual(["p1"]);
    expect(matching({ eq: { field: "categories", value: "Sale" } })).toEqual(["p1"]);
    // eq on categories is exact, not "under".
    expect(matching({ eq: { field: "categories", value: "Shoes" } })).toEqual(["p4"]);
  });

  it("normalises category values", () => {
    expect(matching({ eq: { field: "categories", value: "Shoes>Running" } })).toEqual(["p1"]);
    expect(matching({ eq: { field: "categories", value: " Shoes > Running > Trail " } })).toEqual(["p5"]);
  });

  it("compares attributes as stored (string, number, boolean)", () => {
    expect(matching({ eq: { field: "attributes.color", value: "red" } })).toEqual(["p1"]);
    expect(matching({ eq: { field: "attributes.color", value: "Red" } })).toEqual(["p5"]);
    expect(matching({ eq: { field: "attributes.size", value: 42 } })).toEqual(["p1"]);
    expect(matching({ eq: { field: "attributes.size", value: "42" } })).toEqual(["p3"]);
    expect(matching({ eq: { field: "attributes.size", value: 44.5 } })).toEqual(["p5"]);
    expect(matching({ eq: { field: "attributes.waterproof", value: true } })).toEqual(["p1"]);
    expect(matching({ eq: { field: "attributes.waterproof", value: false } })).toEqual(["p3"]);
    expect(matching({ eq: { field: "attributes.missing", value: "x" } })).toEqual([]);
    expect(matching({ eq: { field: "attributes.missing", value: false } })).toEqual([]);
  });
});

describe("compileFilter: in", () => {
  it("matches membership on text, number and boolean fields", () => {
    expect(matching({ in: { field: "brand", values: ["Acme", "Bolt"] } })).toEqual(["p1", "p3", "p4"]);
    expect(matching({ in: { field: "item_id", values: ["p6", "p2", "nope"] } })).toEqual(["p2", "p6"]);
    expect(matching({ in: { field: "price", values: [0, 50, 999] } })).toEqual(["p3", "p4"]);
    expect(matching({ in: { field: "in_stock", values: [false] } })).toEqual(["p2", "p4"]);
    expect(matching({ in: { field: "in_stock", values: [true, false] } })).toEqual(ALL_IDS);
    expect(matching({ in: { field: "in_stock", values: [true, true] } })).toEqual(["p1", "p3", "p5", "p6"]);
  });

  it("matches a list when any element is in the values", () => {
    expect(matching({ in: { field: "tags", values: ["sale", "new"] } })).toEqual(["p1", "p5"]);
    expect(matching({ in: { field: "categories", values: ["Sale", "Shoes Outlet"] } })).toEqual(["p1", "p3"]);
    expect(matching({ in: { field: "categories", values: ["Shoes>Running", "Nope"] } })).toEqual(["p1"]);
    expect(matching({ in: { field: "tags", values: ["eco"] } })).toEqual(["p1", "p3"]);
  });

  it("compares attributes as stored", () => {
    expect(matching({ in: { field: "attributes.size", values: [42, 40] } })).toEqual(["p1", "p4"]);
    expect(matching({ in: { field: "attributes.size", values: ["42", 44.5] } })).toEqual(["p3", "p5"]);
    expect(matching({ in: { field: "attributes.waterproof", values: [true, false] } })).toEqual(["p1", "p3"]);
    expect(matching({ in: { field: "attributes.color", values: ["red", "blue", 1] } })).toEqual(["p1", "p3"]);
  });

  it("never matches missing values", () => {
    expect(matching({ in: { field: "title", values: ["Guide", "Trail Runner"] } })).toEqual(["p1", "p2"]);
    expect(matching({ in: { field: "published_at", values: [1000, 2000] } })).toEqual(["p1", "p3"]);
  });
});

describe("compileFilter: range", () => {
  const price = (bounds: { gte?: number; gt?: number; lte?: number; lt?: number }): string[] =>
    matching({ range: { field: "price", ...bounds } });

  it("applies each bound", () => {
    // prices: p1 100, p2 none, p3 50, p4 0, p5 75.5, p6 120
    expect(price({ gte: 75.5 })).toEqual(["p1", "p5", "p6"]);
    expect(price({ gt: 75.5 })).toEqual(["p1", "p6"]);
    expect(price({ lte: 50 })).toEqual(["p3", "p4"]);
    expect(price({ lt: 50 })).toEqual(["p4"]);
  });

  it("combines bounds", () => {
    expect(price({ gte: 50, lt: 100 })).toEqual(["p3", "p5"]);
    expect(price({ gt: 50, lte: 100 })).toEqual(["p1", "p5"]);
    expect(price({ gt: 0, lt: 120 })).toEqual(["p1", "p3", "p5"]);
    expect(price({ gte: 0, lte: 120 })).toEqual(["p1", "p3", "p4", "p5", "p6"]);
    expect(price({ gte: 100, lte: 50 })).toEqual([]);
  });

  it("lets the stricter of two bounds on one side win", () => {
    expect(price({ gte: 50, gt: 50 })).toEqual(["p1", "p5", "p6"]);
    expect(price({ gte: 100, gt: 50 })).toEqual(["p1", "p6"]);
    expect(price({ lte: 100, lt: 100 })).toEqual(["p3", "p4", "p5"]);
    expect(price({ lte: 50, lt: 100 })).toEqual(["p3", "p4"]);
  });

  it("works on every number field", () => {
    expect(matching({ range: { field: "original_price", lt: 200 } })).toEqual(["p1", "p4"]);
    expect(matching({ range: { field: "published_at", gte: 1500 } })).toEqual(["p3"]);
  });

  it("matches attributes only when the stored value is a number", () => {
    expect(matching({ range: { field: "attributes.size", gte: 42 } })).toEqual(["p1", "p5"]);
    expect(matching({ range: { field: "attributes.size", lte: 100 } })).toEqual(["p1", "p4", "p5"]);
    expect(matching({ range: { field: "attributes.color", gte: -1e9 } })).toEqual([]);
    expect(matching({ range: { field: "attributes.waterproof", gte: 0 } })).toEqual([]);
  });
});

describe("compileFilter: exists", () => {
  it("checks optional scalar fields", () => {
    expect(matching({ exists: { field: "title" } })).toEqual(["p1", "p2"]);
    expect(matching({ exists: { field: "brand" } })).toEqual(["p1", "p3", "p4"]);
    expect(matching({ exists: { field: "currency" } })).toEqual(["p1", "p3", "p5"]);
    expect(matching({ exists: { field: "price" } })).toEqual(["p1", "p3", "p4", "p5", "p6"]);
    expect(matching({ exists: { field: "original_price" } })).toEqual(["p1", "p4"]);
    expect(matching({ exists: { field: "published_at" } })).toEqual(["p1", "p3"]);
  });

  it("treats lists as present when non-empty", () => {
    expect(matching({ exists: { field: "tags" } })).toEqual(["p1", "p3", "p5"]);
    expect(matching({ exists: { field: "categories" } })).toEqual(["p1", "p3", "p4", "p5", "p6"]);
  });

  it("always finds item_id, item_type and in_stock", () => {
    expect(matching({ exists: { field: "item_id" } })).toEqual(ALL_IDS);
    expect(matching({ exists: { field: "item_type" } })).toEqual(ALL_IDS);
    expect(matching({ exists: { field: "in_stock" } })).toEqual(ALL_IDS);
  });

  it("checks attributes of any type, false included", () => {
    expect(matching({ exists: { field: "attributes.size" } })).toEqual(["p1", "p3", "p4", "p5"]);
    expect(matching({ exists: { field: "attributes.waterproof" } })).toEqual(["p1", "p3"]);
    expect(matching({ exists: { field: "attributes.missing" } })).toEqual([]);
  });
});

describe("compileFilter: category_under", () => {
  it("matches the path itself and its descendants", () => {
    expect(matching({ category_under: "Shoes" })).toEqual(["p1", "p4", "p5"]);
    expect(matching({ category_under: "Shoes > Running" })).toEqual(["p1", "p5"]);
    expect(matching({ category_under: "Shoes > Running > Trail" })).toEqual(["p5"]);
    expect(matching({ category_under: "Apparel" })).toEqual(["p6"]);
  });

  it("does not match a sibling sharing a prefix", () => {
    expect(matching({ category_under: "Shoes Outlet" })).toEqual(["p3"]);
    expect(matching({ category_under: "Shoes" })).not.toContain("p3");
    expect(matching({ category_under: "Shoes > Run" })).toEqual([]);
  });

  it("anchors at the root", () => {
    expect(matching({ category_under: "Running" })).toEqual([]);
    expect(matching({ category_under: "Shoes" })).not.toContain("p6");
  });

  it("normalises whitespace in the path", () => {
    expect(matching({ category_under: "Shoes>Running" })).toEqual(["p1", "p5"]);
    expect(matching({ category_under: "  Shoes  >Running > " })).toEqual(["p1", "p5"]);
    expect(matching({ category_under: " Shoes " })).toEqual(["p1", "p4", "p5"]);
  });
});

describe("compileFilter: combinators", () => {
  const acme: Filter = { eq: { field: "brand", value: "Acme" } };
  const inStock: Filter = { eq: { field: "in_stock", value: true } };
  const cheap: Filter = { range: { field: "price", lt: 80 } };
  const eur: Filter = { eq: { field: "currency", value: "EUR" } };

  it("all, any and not", () => {
    expect(matching({ all: [acme] })).toEqual(["p1", "p3"]);
    expect(matching({ any: [acme] })).toEqual(["p1", "p3"]);
    expect(matching({ all: [acme, cheap] })).toEqual(["p3"]);
    expect(matching({ any: [acme, cheap] })).toEqual(["p1", "p3", "p4", "p5"]);
    expect(matching({ not: acme })).toEqual(["p2", "p4", "p5", "p6"]);
    expect(matching({ not: { not: acme } })).toEqual(["p1", "p3"]);
  });

  it("handles three and more children", () => {
    expect(matching({ all: [inStock, cheap, { exists: { field: "tags" } }] })).toEqual(["p3", "p5"]);
    expect(matching({ all: [inStock, cheap, { exists: { field: "tags" } }, eur] })).toEqual(["p5"]);
    expect(matching({ any: [acme, eur, { eq: { field: "item_id", value: "p6" } }] })).toEqual([
      "p1",
      "p3",
      "p5",
      "p6",
    ]);
    expect(
      matching({
        any: [
          { eq: { field: "item_id", value: "p2" } },
          { eq: { field: "item_id", value: "p4" } },
          { eq: { field: "item_id", value: "p6" } },
          { eq: { field: "item_id", value: "nope" } },
        ],
      }),
    ).toEqual(["p2", "p4", "p6"]);
  });

  it("nests", () => {
    // In stock, and either (Acme but not cheap) or under Shoes > Running.
    const filter: Filter = {
      all: [inStock, { any: [{ all: [acme, { not: cheap }] }, { category_under: "Shoes > Running" }] }],
    };
    expect(matching(filter)).toEqual(["p1", "p5"]);
    expect(matching({ not: filter })).toEqual(["p2", "p3", "p4", "p6"]);
  });

  it(`accepts ${MAX_FILTER_NESTING} enclosing combinators`, () => {
    expect(MAX_FILTER_NESTING).toBe(32);
    expect(matching(nestNot(32, acme))).toEqual(["p1", "p3"]);
    expect(matching(nestNot(31, acme))).toEqual(["p2", "p4", "p5", "p6"]);
  });
});

describe("compileFilter: errors", () => {
  const eqBrand = { eq: { field: "brand", value: "Acme" } };

  it("rejects filters without exactly one key", () => {
    expectInvalid({}, "");
    expectInvalid({ eq: eqBrand.eq, exists: { field: "brand" } }, "");
    expectInvalid({ all: [eqBrand, {}] }, "/all/1");
    expectInvalid({ not: { any: [eqBrand, { ...eqBrand, category_under: "Shoes" }] } }, "/not/any/1");
  });

  it("ignores keys set to undefined", () => {
    expect(matching({ ...eqBrand, in: undefined } as Filter)).toEqual(["p1", "p3"]);
  });

  it("rejects unknown keys and non-object filters", () => {
    const error = expectInvalid({ nope: 1 }, "/nope");
    expect(error.message).toContain("unknown filter key");
    expectInvalid({ "a/b~c": 1 }, "/a~1b~0c");
    expectInvalid(null, "");
    expectInvalid({ not: [eqBrand] }, "/not");
    expectInvalid({ all: [eqBrand, "x"] }, "/all/1");
  });

  it("rejects empty or non-array all/any", () => {
    expectInvalid({ all: [] }, "/all");
    expectInvalid({ any: [] }, "/any");
    expectInvalid({ all: eqBrand }, "/all");
  });

  it("rejects nesting deeper than 32 levels", () => {
    const pointer = "/not".repeat(33);
    const error = expectInvalid(nestNot(33, eqBrand), pointer);
    expect(error.message).toContain("32");
    let deep: unknown = eqBrand;
    let deepPointer = "";
    for (let k = 0; k < 33; k++) {
      deep = k % 2 === 0 ? { all: [deep, eqBrand] } : { any: [deep] };
      deepPointer = (k % 2 === 0 ? "/all/0" : "/any/0") + deepPointer;
    }
    expectInvalid(deep, deepPointer);
    // One level less is fine.
    expect(matching((deep as { all: Filter[] }).all[0]!)).toEqual(["p1", "p3"]);
  });

  it("rejects unknown or malformed fields", () => {
    expectInvalid({ eq: { field: "colour", value: "red" } }, "/eq/field");
    expectInvalid({ eq: { field: "attributes.", value: "red" } }, "/eq/field");
    expectInvalid({ eq: { field: "attributes.1abc", value: "red" } }, "/eq/field");
    expectInvalid({ eq: { value: "red" } }, "/eq/field");
    expectInvalid({ eq: { field: 3, value: "red" } }, "/eq/field");
    expectInvalid({ in: { field: "Brand", values: ["x"] } }, "/in/field");
    expectInvalid({ range: { field: "cost", gte: 1 } }, "/range/field");
    expectInvalid({ exists: { field: "attributes" } }, "/exists/field");
  });

  it("rejects malformed condition objects", () => {
    expectInvalid({ eq: "brand" }, "/eq");
    expectInvalid({ exists: null }, "/exists");
    expectInvalid({ eq: { field: "brand", value: "Acme", extra: 1 } }, "/eq/extra");
    expectInvalid({ range: { field: "price", gtee: 1 } }, "/range/gtee");
    expectInvalid({ exists: { field: "brand", value: 1 } }, "/exists/value");
  });

  it("rejects eq values of the wrong type", () => {
    expectInvalid({ eq: { field: "brand" } }, "/eq/value");
    expectInvalid({ eq: { field: "price", value: "10" } }, "/eq/value");
    expectInvalid({ eq: { field: "published_at", value: true } }, "/eq/value");
    expectInvalid({ eq: { field: "price", value: Number.NaN } }, "/eq/value");
    expectInvalid({ eq: { field: "brand", value: 5 } }, "/eq/value");
    expectInvalid({ eq: { field: "item_id", value: false } }, "/eq/value");
    expectInvalid({ eq: { field: "tags", value: true } }, "/eq/value");
    expectInvalid({ eq: { field: "categories", value: 1 } }, "/eq/value");
    expectInvalid({ eq: { field: "in_stock", value: "true" } }, "/eq/value");
    expectInvalid({ eq: { field: "in_stock", value: 1 } }, "/eq/value");
    expectInvalid({ eq: { field: "attributes.color", value: null } }, "/eq/value");
    expectInvalid({ eq: { field: "attributes.color", value: ["red"] } }, "/eq/value");
  });

  it("rejects in values of the wrong type, with the index", () => {
    expectInvalid({ in: { field: "price", values: [1, "2"] } }, "/in/values/1");
    expectInvalid({ in: { field: "tags", values: ["a", "b", 3] } }, "/in/values/2");
    expectInvalid({ in: { field: "in_stock", values: ["yes"] } }, "/in/values/0");
    expectInvalid({ in: { field: "attributes.size", values: [1, {}] } }, "/in/values/1");
    expectInvalid({ in: { field: "price", values: [] } }, "/in/values");
    expectInvalid({ in: { field: "price", values: 1 } }, "/in/values");
    expectInvalid({ in: { field: "price" } }, "/in/values");
  });

  it("rejects bad ranges", () => {
    expectInvalid({ range: { field: "price" } }, "/range");
    for (const field of [
      "brand",
      "title",
      "item_id",
      "item_type",
      "currency",
      "tags",
      "categories",
      "in_stock",
    ]) {
      expectInvalid({ range: { field, gte: 1 } }, "/range/field");
    }
    expectInvalid({ range: { field: "price", gte: "5" } }, "/range/gte");
    expectInvalid({ range: { field: "price", gte: 1, lt: Number.NaN } }, "/range/lt");
    expectInvalid(
      { all: [eqBrand, { not: { range: { field: "title", gte: 1 } } }] },
      "/all/1/not/range/field",
    );
    expectInvalid({ any: [eqBrand, { range: { field: "price" } }] }, "/any/1/range");
  });

  it("rejects empty or non-string category paths", () => {
    expectInvalid({ category_under: "" }, "/category_under");
    expectInvalid({ category_under: " > " }, "/category_under");
    expectInvalid({ category_under: 3 }, "/category_under");
  });

  it("reports the pointer in the message", () => {
    const error = expectInvalid(
      { all: [eqBrand, { range: { field: "tags", gte: 1 } }] },
      "/all/1/range/field",
    );
    expect(error.message).toMatch(/^filter\/all\/1\/range\/field: /);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties

const textEq = fc.record({
  field: fc.constantFrom("item_id", "item_type", "title", "brand", "currency"),
  value: fc.constantFrom("p1", "p3", "product", "article", "Guide", "Acme", "Bolt", "EUR", "USD"),
});
const numberEq = fc.record({
  field: fc.constantFrom("price", "original_price", "published_at"),
  value: fc.constantFrom(0, 50, 75.5, 100, 120, 1000, 2000),
});
const listEq = fc.record({
  field: fc.constantFrom("tags", "categories"),
  value: fc.constantFrom("eco", "new", "sale", "Shoes", "Sale", "Shoes>Running"),
});
const attributeEq = fc.record({
  field: fc.constantFrom("attributes.color", "attributes.size", "attributes.waterproof", "attributes.none"),
  value: fc.constantFrom<string | number | boolean>("red", "blue", 42, "42", 40, true, false),
});
const stockEq = fc.record({ field: fc.constant("in_stock"), value: fc.boolean() });
const eqBodies: fc.Arbitrary<EqCondition>[] = [textEq, numberEq, listEq, attributeEq, stockEq];
const eqBody = fc.oneof(...eqBodies);
const inBody = fc.oneof(
  ...eqBodies.map((arbitrary) =>
    fc
      .array(arbitrary, { minLength: 1, maxLength: 4 })
      .map((conditions) => ({ field: conditions[0]!.field, values: conditions.map((c) => c.value) })),
  ),
);
const boundValue = fc.constantFrom(-1, 0, 40, 42, 50, 75.5, 100, 1000, 1500);
const rangeBody = fc
  .record(
    {
      field: fc.constantFrom(
        "price",
        "original_price",
        "published_at",
        "attributes.size",
        "attributes.color",
      ),
      gte: boundValue,
      gt: boundValue,
      lte: boundValue,
      lt: boundValue,
    },
    { requiredKeys: ["field"] },
  )
  .filter((r) => r.gte !== undefined || r.gt !== undefined || r.lte !== undefined || r.lt !== undefined);
const existsBody = fc.record({
  field: fc.constantFrom(
    "item_id",
    "item_type",
    "title",
    "brand",
    "categories",
    "tags",
    "price",
    "original_price",
    "currency",
    "in_stock",
    "published_at",
    "attributes.size",
    "attributes.waterproof",
    "attributes.none",
  ),
});

const leafFilter: fc.Arbitrary<Filter> = fc.oneof(
  eqBody.map((eq): Filter => ({ eq })),
  inBody.map((body): Filter => ({ in: body })),
  rangeBody.map((range): Filter => ({ range })),
  existsBody.map((exists): Filter => ({ exists })),
  fc
    .constantFrom("Shoes", "Shoes>Running", "Shoes Outlet", "Apparel", "Running", "Sale")
    .map((path): Filter => ({ category_under: path })),
);

const { filter: filterArbitrary } = fc.letrec<{ filter: Filter }>((tie) => ({
  filter: fc.oneof(
    { maxDepth: 4 },
    leafFilter,
    tie("filter").map((f): Filter => ({ not: f })),
    fc.array(tie("filter"), { minLength: 1, maxLength: 5 }).map((fs): Filter => ({ all: fs })),
    fc.array(tie("filter"), { minLength: 1, maxLength: 5 }).map((fs): Filter => ({ any: fs })),
  ),
}));

/** A deliberately naive interpreter over the raw records, to cross-check the compiled closures. */
function reference(filter: Filter, item: FakeItem): boolean {
  const raw = (field: string): unknown => {
    if (field.startsWith("attributes.")) return item.attributes?.[field.slice("attributes.".length)];
    const record: Record<string, unknown> = {
      item_id: item.id,
      item_type: item.type ?? "product",
      title: item.title,
      brand: item.brand,
      categories: (item.categories ?? []).map(normaliseCategoryPath),
      tags: item.tags ?? [],
      price: item.price,
      original_price: item.originalPrice,
      currency: item.currency,
      in_stock: item.inStock ?? false,
      published_at: item.publishedAt,
    };
    return record[field];
  };
  const norm = (field: string, value: unknown): unknown =>
    field === "categories" && typeof value === "string" ? normaliseCategoryPath(value) : value;
  const anyOf = (field: string, test: (v: unknown) => boolean): boolean => {
    const v = raw(field);
    return Array.isArray(v) ? v.some(test) : v !== undefined && test(v);
  };
  if (filter.all) return filter.all.every((f) => reference(f, item));
  if (filter.any) return filter.any.some((f) => reference(f, item));
  if (filter.not) return !reference(filter.not, item);
  if (filter.eq) {
    const { field, value } = filter.eq;
    return anyOf(field, (v) => v === norm(field, value));
  }
  if (filter.in) {
    const { field, values } = filter.in;
    return anyOf(field, (v) => values.some((value) => v === norm(field, value)));
  }
  if (filter.range) {
    const { field, gte, gt, lte, lt } = filter.range;
    const v = raw(field);
    if (typeof v !== "number") return false;
    return (
      (gte === undefined || v >= gte) &&
      (gt === undefined || v > gt) &&
      (lte === undefined || v <= lte) &&
      (lt === undefined || v < lt)
    );
  }
  if (filter.exists) {
    const v = raw(filter.exists.field);
    return Array.isArray(v) ? v.length > 0 : v !== undefined;
  }
  if (filter.category_under !== undefined) {
    const path = normaliseCategoryPath(filter.category_under);
    const categories = raw("categories") as string[];
    return categories.some((c) => c === path || c.startsWith(`${path} > `));
  }
  throw new Error("unreachable");
}

describe("compileFilter: properties", () => {
  const indexes = ITEMS.map((_, i) => i);

  it("not(f) is the negation of f", () => {
    fc.assert(
      fc.property(filterArbitrary, (f) => {
        const p = compileFilter(f, FIELDS);
        const notP = compileFilter({ not: f }, FIELDS);
        for (const i of indexes) expect(notP(i)).toBe(!p(i));
      }),
      { numRuns: 300 },
    );
  });

  it("all([f, g]) is f && g and any([f, g]) is f || g", () => {
    fc.assert(
      fc.property(filterArbitrary, filterArbitrary, (f, g) => {
        const p = compileFilter(f, FIELDS);
        const q = compileFilter(g, FIELDS);
        const both = compileFilter({ all: [f, g] }, FIELDS);
        const either = compileFilter({ any: [f, g] }, FIELDS);
        for (const i of indexes) {
          expect(both(i)).toBe(p(i) && q(i));
          expect(either(i)).toBe(p(i) || q(i));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("agrees with a naive interpreter", () => {
    fc.assert(
      fc.property(filterArbitrary, (f) => {
        const p = compileFilter(f, FIELDS);
        for (const i of indexes) expect(p(i)).toBe(reference(f, ITEMS[i]!));
      }),
      { numRuns: 500 },
    );
  });
});
