import { describe, expect, it } from "vitest";
import { HashingStateWriter } from "../state/state-writer.js";
import { TEXT_INDEX_BOUNDS, type TextFields, TextIndex } from "./text-index.js";
import { tokenize } from "./tokenize.js";

function results(index: TextIndex, query: string, limit = 100): [number, number][] {
  const out: [number, number][] = [];
  index.search(query, limit, (item, score) => out.push([item, score]));
  return out;
}

function items(index: TextIndex, query: string, limit = 100): number[] {
  return results(index, query, limit).map(([item]) => item);
}

function hashOf(index: TextIndex): string {
  const writer = new HashingStateWriter();
  index.writeState(writer);
  return writer.digest();
}

function indexOf(titles: readonly string[]): TextIndex {
  const index = new TextIndex();
  titles.forEach((title, item) => {
    index.set(item, { title });
  });
  return index;
}

// Hand-computed idf values: idf(N, df) = ln(1 + (N - df + 0.5) / (df + 0.5)).
const LN_2 = Math.LN2; // N = 4, df = 2
const LN_10_3 = 1.2039728043259361; // N = 4, df = 1
const LN_10_7 = 0.35667494393873245; // N = 4, df = 3

describe("TextIndex ranking", () => {
  it("ranks a rare token above a common one (idf)", () => {
    const index = indexOf(["apple", "apple", "apple", "banana"]);
    const hits = results(index, "apple banana");
    expect(hits.map(([item]) => item)).toEqual([3, 0, 1, 2]);
    expect(hits[0]![1]).toBeCloseTo(2 * LN_10_3, 12); // title weight 2 × idf(df 1)
    expect(hits[1]![1]).toBeCloseTo(2 * LN_10_7, 12); // title weight 2 × idf(df 3)
  });

  it("ranks items matching all terms above items matching fewer of the same rarity", () => {
    const index = indexOf(["red shoe", "red hat", "blue shoe", "blue hat"]);
    const hits = results(index, "red shoe");
    expect(hits.map(([item]) => item)).toEqual([0, 1, 2]);
    expect(hits[0]![1]).toBeCloseTo(4 * LN_2, 12);
    expect(hits[1]![1]).toBeCloseTo(2 * LN_2, 12);
    expect(hits[2]![1]).toBe(hits[1]![1]); // same match ⇒ bit-equal score, smaller item first
  });

  it("weighs title 2, brand and tags 1.5, categories 1, counting a token's best field once", () => {
    const index = new TextIndex();
    index.set(0, { categories: ["Footwear > Shoes"] });
    index.set(1, { title: "Shoes" });
    index.set(2, { tags: ["shoes", "sale"] });
    index.set(3, { brand: "Shoes Inc" });
    index.set(4, { title: "hat" });
    index.set(5, { title: "Shoes", tags: ["shoe"], categories: ["Shoes"] });
    const hits = results(index, "shoes");
    expect(hits.map(([item]) => item)).toEqual([1, 5, 2, 3, 0]);
    const shoeIdf = Math.log(1 + 1.5 / 5.5); // N = 6, df = 5
    expect(hits.map(([, score]) => score)).toEqual([2, 2, 1.5, 1.5, 1].map((w) => shoeIdf * w));
    // Every level of a category path is searchable.
    expect(items(index, "footwear")).toEqual([0]);
  });

  it("matches the last term as a prefix of at least 3 characters, and only the last", () => {
    const index = indexOf(["Running shoes", "Runner", "Run", "Shoelace"]);
    // No exact "runn": completions running + runner, scored as one term of df 2.
    expect(results(index, "runn")).toEqual([
      [0, 2 * LN_2],
      [1, 2 * LN_2],
    ]);
    // Exact "run" (df 1) outranks its completions (prefix df 3).
    const run = results(index, "run");
    expect(run.map(([item]) => item)).toEqual([2, 0, 1]);
    expect(run[0]![1]).toBeCloseTo(2 * LN_10_3, 12);
    expect(run[1]![1]).toBeCloseTo(2 * LN_10_7, 12);
    // Too short for a prefix.
    expect(items(index, "ru")).toEqual([]);
    // "runn" is not last: exact only (nothing); "shoe" is last: exact (item 0) and prefix (shoelace).
    expect(items(index, "runn shoe")).toEqual([0, 3]);
    // "shoe" not last: no shoelace; "runn" last: running, runner.
    const both = results(index, "shoe runn");
    expect(both.map(([item]) => item)).toEqual([0, 1]);
    expect(both[0]![1]).toBeCloseTo(2 * LN_10_3 + 2 * LN_2, 12);
  });

  it("counts an item once per prefix term even when several completions match", () => {
    const index = indexOf(["running runner", "running"]);
    // Completions running (df 2) + runner (df 1): prefix df capped at N = 2 ⇒ idf ln(1.2).
    const expected = 2 * Math.log(1.2);
    expect(results(index, "runn")).toEqual([
      [0, expected],
      [1, expected],
    ]);
  });

  it("uses the most frequent completions when a prefix has many", () => {
    const index = new TextIndex();
    // Tokens pre0..pre11; token preK appears in K + 1 items.
    let item = 0;
    for (let k = 0; k < 12; k++) for (let c = 0; c <= k; c++) index.set(item++, { title: `pre${k}` });
    const matched = new Set(items(index, "pre", 1000));
    // The 8 most frequent completions are pre4..pre11: items 10 onwards.
    expect(matched.size).toBe(item - 10);
    expect(Math.min(...matched)).toBe(10);
  });

  it("respects the limit, best first", () => {
    const index = indexOf(
      Array.from({ length: 10 }, (_, i) => (i === 7 ? "widget widget gadget" : "widget")),
    );
    expect(items(index, "widget gadget", 3)).toEqual([7, 0, 1]);
    expect(items(index, "widget", 2.9)).toEqual([0, 1]);
    expect(items(index, "widget", Number.POSITIVE_INFINITY)).toHaveLength(10);
    expect(items(index, "widget", 0)).toEqual([]);
    expect(items(index, "widget", -1)).toEqual([]);
    expect(items(index, "widget", Number.NaN)).toEqual([]);
  });

  it("yields nothing for an empty, punctuation-only or unknown query", () => {
    const index = indexOf(["red shoe"]);
    for (const query of ["", "   ", "!!! ... --", ">", "zzz", "qu"]) expect(items(index, query)).toEqual([]);
    expect(items(new TextIndex(), "red")).toEqual([]);
  });

  it("uses the first terms plus the last when a query has too many", () => {
    const index = indexOf(Array.from({ length: 10 }, (_, i) => `word${i}`));
    const query = Array.from({ length: 10 }, (_, i) => `word${i}`).join(" ");
    // maxQueryTokens = 8: word0..word6 and word9.
    expect(TEXT_INDEX_BOUNDS.maxQueryTokens).toBe(8);
    expect(items(index, query)).toEqual([0, 1, 2, 3, 4, 5, 6, 9]);
    // Repeated tokens count once.
    expect(results(index, "word1 word1 word1")).toEqual(results(index, "word1"));
  });

  it("indexes the first maxTokensPerItem tokens of an item and ignores over-long tokens", () => {
    const index = new TextIndex();
    const max = TEXT_INDEX_BOUNDS.maxTokensPerItem;
    const title = Array.from({ length: max + 5 }, (_, i) => `t${i}`).join(" ");
    index.set(0, { title, categories: ["cat"] });
    expect(items(index, `t${max - 1}`)).toEqual([0]);
    expect(items(index, `t${max}`)).toEqual([]);
    expect(items(index, "cat")).toEqual([]);
    const long = "x".repeat(TEXT_INDEX_BOUNDS.maxTokenLength + 1);
    index.set(1, { title: `${long} short`, tags: [null as unknown as string] });
    expect(items(index, long)).toEqual([]);
    expect(items(index, "short")).toEqual([1]);
  });

  it("lets visit call back into the index", () => {
    const index = indexOf(["red shoe", "red hat"]);
    const seen: string[] = [];
    index.search("red", 10, (item) => {
      seen.push(`${item}:${items(index, "hat").join(",")}`);
    });
    expect(seen).toEqual(["0:1", "1:1"]);
  });
});

describe("TextIndex updates", () => {
  it("re-indexing replaces the previous text and field weights", () => {
    const index = new TextIndex();
    index.set(0, { title: "red apple" });
    index.set(1, { title: "green apple" });
    index.set(0, { title: "yellow pear" });
    expect(index.size).toBe(2);
    expect(items(index, "red")).toEqual([]);
    expect(items(index, "apple")).toEqual([1]);
    expect(items(index, "pear")).toEqual([0]);

    index.set(2, { categories: ["kiwi"] });
    const [[, asCategory]] = results(index, "kiwi") as [[number, number]];
    index.set(2, { title: "kiwi" });
    expect(results(index, "kiwi")).toEqual([[2, 2 * asCategory]]);
    index.set(2, {});
    expect(items(index, "kiwi")).toEqual([]);
    expect(index.size).toBe(3); // still indexed, just without text
  });

  it("removes items, idempotently, and can index them again", () => {
    const index = indexOf(["red shoe", "red hat", "blue hat"]);
    expect(index.has(0)).toBe(true);
    index.remove(0);
    expect(index.size).toBe(2);
    expect(index.has(0)).toBe(false);
    expect(items(index, "red")).toEqual([1]);
    expect(items(index, "shoe")).toEqual([]);
    index.remove(0);
    index.remove(99);
    index.remove(-1);
    index.remove(1.5);
    expect(index.size).toBe(2);
    // idf follows: "hat" is now in every item.
    expect(results(index, "hat")).toEqual([
      [1, 2 * Math.log(1 + 0.5 / 2.5)],
      [2, 2 * Math.log(1 + 0.5 / 2.5)],
    ]);
    index.set(0, { title: "shoe" });
    expect(items(index, "shoe")).toEqual([0]);
    expect(index.size).toBe(3);
  });

  it("rejects invalid items", () => {
    const index = new TextIndex();
    expect(() => index.set(-1, { title: "x" })).toThrow(RangeError);
    expect(() => index.set(1.5, { title: "x" })).toThrow(RangeError);
    expect(() => index.set(TEXT_INDEX_BOUNDS.maxItem + 1, { title: "x" })).toThrow(RangeError);
  });

  it("never returns removed items or stale text from long lists with tombstones", () => {
    const index = new TextIndex();
    for (let i = 0; i < 500; i++) index.set(i, { title: i % 2 === 0 ? "even common" : "odd common" });
    for (let i = 0; i < 500; i += 3) index.remove(i); // tombstones, then compactions
    for (let i = 1; i < 500; i += 3) index.set(i, { title: "moved" });
    const common = items(index, "common", 1000);
    expect(common).toEqual(Array.from({ length: 500 }, (_, i) => i).filter((i) => i % 3 === 2));
    expect(items(index, "moved", 1000)).toEqual(
      Array.from({ length: 500 }, (_, i) => i).filter((i) => i % 3 === 1),
    );
    expect(items(index, "even", 1000)).toEqual(common.filter((i) => i % 2 === 0));
  });
});

describe("TextIndex space reclamation", () => {
  it("keeps answering exactly across slab and forward-log compactions", () => {
    const build = () => {
      const index = new TextIndex();
      // 12k items × 8 rare tokens: ~100k slab words, ~300 KB of forward log.
      for (let i = 0; i < 12_000; i++) {
        const rare = Array.from({ length: 8 }, (_, k) => `u${i}x${k}`).join(" ");
        index.set(i, { title: rare, tags: [`group${i % 40}`] });
      }
      // Free a third of the slab and of the log, then re-index some items with longer text.
      for (let i = 0; i < 12_000; i += 3) index.remove(i);
      for (let i = 1; i < 12_000; i += 9)
        index.set(i, { title: `u${i}x0 renamed extra words here`, tags: [`group${i % 40}`] });
      return index;
    };
    const index = build();
    expect(index.size).toBe(8_000);
    for (const i of [0, 1, 2, 10, 11, 9_999, 11_998, 11_999]) {
      const gone = i % 3 === 0;
      const renamed = i % 9 === 1;
      expect(items(index, `u${i}x0`), `item ${i}`).toEqual(gone ? [] : [i]);
      expect(items(index, `u${i}x5`), `item ${i}`).toEqual(gone || renamed ? [] : [i]);
    }
    const group = Array.from({ length: 12_000 }, (_, i) => i).filter((i) => i % 40 === 7 && i % 3 !== 0);
    expect(items(index, "group7", 1_000)).toEqual(group);
    expect(items(index, "renamed", 10_000)).toHaveLength(
      Array.from({ length: 12_000 }, (_, i) => i).filter((i) => i % 9 === 1 && i % 3 !== 0).length,
    );
    expect(hashOf(index)).toBe(hashOf(build()));
  });
});

describe("TextIndex bounded work on very common tokens", () => {
  const budget = TEXT_INDEX_BOUNDS.scanBudget;
  const n = budget + 2000;
  const index = new TextIndex();
  for (let i = 0; i < n; i++) index.set(i, { title: "common widget" });
  index.set(n - 10, { title: "common widget", tags: ["rare"] });

  it("scores an item beyond the horizon exactly when a rarer term finds it", () => {
    const hits = results(index, "common rare", 3);
    expect(hits.map(([item]) => item)).toEqual([n - 10, 0, 1]);
    const common = 2 * Math.log(1 + 0.5 / (n + 0.5));
    const rare = 1.5 * Math.log(1 + (n - 0.5) / 1.5);
    expect(hits[0]![1]).toBeCloseTo(common + rare, 12);
    expect(hits[1]![1]).toBeCloseTo(common, 12);
  });

  it("shares the scan budget, returning the smallest items for common-only queries", () => {
    expect(items(index, "common", 5)).toEqual([0, 1, 2, 3, 4]);
    expect(items(index, "common", n)).toHaveLength(budget);
    // Two lists of equal length: half the budget each, up to the same horizon, all scores exact.
    const both = results(index, "widget common", n);
    expect(both.map(([item]) => item)).toEqual(Array.from({ length: budget / 2 }, (_, i) => i));
    expect(new Set(both.map(([, score]) => score)).size).toBe(1);
    index.remove(0);
    index.remove(2);
    expect(items(index, "common", 3)).toEqual([1, 3, 4]);
  });
});

describe("TextIndex pruning of capped lists", () => {
  // "common" is in every item (a capped list), "rare" in the tags of every 100th item and in the title of one
  // item beyond the horizon: a query on both needs the common list only for the items "rare" finds.
  const budget = TEXT_INDEX_BOUNDS.scanBudget;
  const n = budget + 2000;
  const index = new TextIndex();
  for (let i = 0; i < n; i++) index.set(i, { title: "common widget", tags: i % 100 === 7 ? ["rare"] : [] });
  index.set(n - 3, { title: "common rare widget" });
  const df = Math.floor((n - 8) / 100) + 1 + 1;
  const common = 2 * Math.log(1 + 0.5 / (n + 0.5));
  const rare = Math.log(1 + (n - df + 0.5) / (df + 0.5));

  it("returns the rare term's best items with the common term's exact contribution", () => {
    const hits = results(index, "common rare", 5);
    expect(hits.map(([item]) => item)).toEqual([n - 3, 7, 107, 207, 307]);
    expect(hits[0]![1]).toBe(common + 2 * rare);
    for (const [, score] of hits.slice(1)) expect(score).toBe(common + 1.5 * rare);
  });

  it("ranks ties by item and answers alike whatever the term order or limit", () => {
    const all = results(index, "common rare", df);
    expect(all.map(([item]) => item)).toEqual([
      n - 3,
      ...Array.from({ length: df - 1 }, (_, i) => 7 + 100 * i),
    ]);
    expect(results(index, "rare common", df)).toEqual(all);
    expect(results(index, "common rare", 3)).toEqual(all.slice(0, 3));
  });

  it("falls back to reading the capped list when the rare term finds too few items", () => {
    const hits = results(index, "common rare", df + 3);
    expect(hits.slice(0, df).map(([item]) => item)).toEqual(results(index, "common rare", df).map(([i]) => i));
    expect(hits.slice(df).map(([item]) => item)).toEqual([0, 1, 2]);
    for (const [, score] of hits.slice(df)) expect(score).toBe(common);
  });
});

describe("TextIndex determinism", () => {
  function build(extra: boolean): TextIndex {
    const index = new TextIndex();
    for (let i = 0; i < 300; i++) {
      index.set(i, {
        title: `item ${i % 17} shoes`,
        brand: `brand${i % 5}`,
        categories: [`cat${i % 3} > sub${i % 7}`],
      });
    }
    for (let i = 0; i < 300; i += 4) index.remove(i);
    for (let i = 1; i < 300; i += 5) index.set(i, { title: `renamed ${i}`, tags: ["sale"] });
    index.search("shoes brand1", 10, () => {});
    if (extra) index.set(1000, { title: "extra" });
    return index;
  }

  it("same calls ⇒ same hash; different state ⇒ different hash; queries change nothing", () => {
    const a = build(false);
    const b = build(false);
    expect(hashOf(a)).toBe(hashOf(b));
    expect(results(a, "renamed sale shoe")).toEqual(results(b, "renamed sale shoe"));
    const before = hashOf(a);
    results(a, "sub3 bra");
    expect(hashOf(a)).toBe(before);
    expect(hashOf(build(true))).not.toBe(before);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Randomised comparison with a brute-force model of the documented scoring (no list reaches the scan cap here).

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function docOf(fields: TextFields): Map<string, number> {
  const doc = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const token of tokenize(text)) doc.set(token, Math.max(doc.get(token) ?? 0, weight));
  };
  if (fields.title) add(fields.title, 2);
  if (fields.brand) add(fields.brand, 1.5);
  for (const tag of fields.tags ?? []) add(tag, 1.5);
  for (const category of fields.categories ?? []) add(category, 1);
  return doc;
}

function referenceSearch(
  docs: Map<number, Map<string, number>>,
  query: string,
  limit: number,
): [number, number][] {
  const tokens = tokenize(query);
  if (tokens.length === 0) return [];
  const last = tokens[tokens.length - 1]!;
  const terms = [...new Set(tokens.filter((t) => t !== last))].slice(0, TEXT_INDEX_BOUNDS.maxQueryTokens - 1);
  terms.push(last);
  const n = docs.size;
  const df = new Map<string, number>();
  for (const doc of docs.values()) for (const token of doc.keys()) df.set(token, (df.get(token) ?? 0) + 1);
  const idf = (d: number) => Math.log(1 + (n - d + 0.5) / (d + 0.5));
  // Per term: token → idf part.
  const termTokens = terms.map((term, g) => {
    const map = new Map<string, number>();
    const own = df.get(term) ?? 0;
    if (own > 0) map.set(term, idf(own));
    if (g === terms.length - 1 && term.length >= TEXT_INDEX_BOUNDS.prefixMinLength) {
      const completions = [...df.entries()]
        .filter(([token]) => token !== term && token.startsWith(term))
        .sort(([ta, da], [tb, db]) => db - da || (ta < tb ? -1 : 1))
        .slice(0, TEXT_INDEX_BOUNDS.maxPrefixTerms);
      const prefixIdf = idf(
        Math.min(
          n,
          completions.reduce((sum, [, d]) => sum + d, own),
        ),
      );
      for (const [token] of completions) map.set(token, prefixIdf);
    }
    return map;
  });
  const scored: [number, number][] = [];
  for (const [item, doc] of docs) {
    let score = 0;
    let matched = false;
    for (const map of termTokens) {
      let best = 0;
      for (const [token, part] of map) {
        const weight = doc.get(token);
        if (weight !== undefined) {
          matched = true;
          best = Math.max(best, part * weight);
        }
      }
      score += best;
    }
    if (matched) scored.push([item, score]);
  }
  scored.sort(([ia, sa], [ib, sb]) => sb - sa || ia - ib);
  return scored.slice(0, limit);
}

describe("TextIndex against a brute-force model", () => {
  it("agrees on random sets, removals and queries", () => {
    const random = mulberry32(42);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
    const common = [
      "red",
      "blue",
      "shoes",
      "running",
      "runner",
      "run",
      "rug",
      "hat",
      "caps",
      "glass",
      "café",
    ];
    const word = () => (random() < 0.6 ? pick(common) : `w${Math.floor(random() ** 2 * 4000)}`);
    const words = (k: number) => Array.from({ length: 1 + Math.floor(random() * k) }, word).join(" ");
    const index = new TextIndex();
    const twin = new TextIndex();
    const docs = new Map<number, Map<string, number>>();
    for (let step = 0; step < 4000; step++) {
      const item = Math.floor(random() * 400);
      if (random() < 0.25) {
        index.remove(item);
        twin.remove(item);
        docs.delete(item);
      } else {
        const fields: TextFields = {};
        if (random() < 0.8) fields.title = words(5);
        if (random() < 0.5) fields.brand = word();
        if (random() < 0.5) fields.tags = [words(2), word()];
        if (random() < 0.5) fields.categories = [`${word()} > ${words(2)}`];
        index.set(item, fields);
        twin.set(item, fields);
        docs.set(item, docOf(fields));
      }
      if (step % 40 === 0) {
        expect(index.size).toBe(docs.size);
        for (let q = 0; q < 5; q++) {
          const full = words(3);
          const query =
            random() < 0.5 ? full : full.slice(0, Math.max(1, full.length - Math.floor(random() * 4)));
          const limit = 1 + Math.floor(random() * 30);
          expect(results(index, query, limit), query).toEqual(referenceSearch(docs, query, limit));
        }
      }
    }
    expect(hashOf(index)).toBe(hashOf(twin));
  });
});

describe("TextIndex long posting lists against a brute-force model", () => {
  it("agrees while lists grow past the slab, span many chunks, tombstone, compact and shrink back", () => {
    const random = mulberry32(7);
    const slabMax = TEXT_INDEX_BOUNDS.slabMax;
    const index = new TextIndex();
    const twin = new TextIndex();
    const docs = new Map<number, Map<string, number>>();
    const apply = (item: number, fields: TextFields | undefined) => {
      if (fields === undefined) {
        index.remove(item);
        twin.remove(item);
        docs.delete(item);
      } else {
        index.set(item, fields);
        twin.set(item, fields);
        docs.set(item, docOf(fields));
      }
    };
    const fieldsOf = (): TextFields => {
      const words = [`w${Math.floor(random() * 1000)}`];
      if (random() < 0.45) words.push("alpha");
      if (random() < 0.3) words.push("beta");
      return random() < 0.5 ? { title: words.join(" ") } : { title: words[0], tags: words.slice(1) };
    };
    const check = (label: string) => {
      expect(index.size, label).toBe(docs.size);
      for (const query of ["alpha", "beta", "alph", "w17 alpha", "beta w3", "zzz"]) {
        expect(results(index, query, Number.POSITIVE_INFINITY), `${label}: ${query}`).toEqual(
          referenceSearch(docs, query, Number.POSITIVE_INFINITY),
        );
      }
    };
    // Grow: ~14k items spread over 130k indices (8 chunks of 2^14); "alpha" ends in ~6k of them (> slabMax).
    for (let n = 0; n < 16_000; n++) apply(Math.floor(random() * 130_000), fieldsOf());
    const alpha = () => [...docs.values()].filter((doc) => doc.has("alpha")).length;
    expect(alpha()).toBeGreaterThan(slabMax);
    expect(alpha()).toBeLessThan(TEXT_INDEX_BOUNDS.scanBudget); // read whole: exact results expected
    check("grown");
    // Churn: re-index and remove (tombstones, compactions, revived tombstones).
    const present = () => [...docs.keys()];
    for (let n = 0; n < 6_000; n++) {
      const keys = present();
      const item = keys[Math.floor(random() * keys.length)]!;
      apply(item, random() < 0.5 ? undefined : fieldsOf());
    }
    check("churned");
    // Shrink: remove most items, so "alpha" goes back to the slab.
    for (const item of present()) if (random() < 0.8) apply(item, undefined);
    expect(alpha()).toBeLessThan(slabMax / 2);
    check("shrunk");
    // Grow again, appending past the last chunk (new chunks) and into earlier ones.
    for (let n = 0; n < 8_000; n++)
      apply(n % 2 === 0 ? 130_000 + n * 16 : Math.floor(random() * 130_000), fieldsOf());
    check("regrown");
    expect(hashOf(index)).toBe(hashOf(twin));
  });
});
