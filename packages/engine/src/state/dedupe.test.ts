import { describe, expect, it } from "vitest";
import { Dedupe } from "./dedupe.js";

describe("Dedupe", () => {
  it("forgets ids older than the window and the oldest beyond the count, keeping the rest", () => {
    const dedupe = new Dedupe(1_000, 2);
    dedupe.remember("a", 0);
    dedupe.remember("b", 10);
    expect(dedupe.isDuplicate("a", 20)).toBe(true);
    dedupe.remember("c", 20);
    expect(dedupe.size).toBe(2);
    expect(dedupe.isDuplicate("a", 30)).toBe(false);
    expect(dedupe.isDuplicate("b", 30)).toBe(true);
    dedupe.remember("d", 1_015);
    expect(dedupe.isDuplicate("b", 1_015)).toBe(false);
    expect(dedupe.isDuplicate("c", 1_015)).toBe(true);
  });

  it("re-remembering an id moves it to the back of the queue", () => {
    const dedupe = new Dedupe(10_000, 2);
    dedupe.remember("a", 0);
    dedupe.remember("b", 1);
    dedupe.remember("a", 2);
    dedupe.remember("c", 3);
    expect(dedupe.isDuplicate("a", 4)).toBe(true);
    expect(dedupe.isDuplicate("b", 4)).toBe(false);
  });
});
