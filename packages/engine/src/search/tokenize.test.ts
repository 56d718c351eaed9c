import { describe, expect, it } from "vitest";
import { tokenize } from "./tokenize.js";

describe("tokenize", () => {
  it("lower-cases and splits on anything that is not a letter or digit", () => {
    expect(tokenize("Hello, World!")).toEqual(["hello", "world"]);
    expect(tokenize("x-ray/usb_c  (2-pack)")).toEqual(["x", "ray", "usb", "c", "2", "pack"]);
    expect(tokenize("Shoes > Running > Trail")).toEqual(["shoe", "running", "trail"]);
  });

  it("keeps digits, alone or inside words", () => {
    expect(tokenize("Nike Air Max 90")).toEqual(["nike", "air", "max", "90"]);
    expect(tokenize("PS5 42")).toEqual(["ps5", "42"]);
    expect(tokenize("3.5mm")).toEqual(["3", "5mm"]);
  });

  it("strips accents after NFKD decomposition", () => {
    expect(tokenize("Café")).toEqual(["cafe"]);
    expect(tokenize("ÉCOLE Ångström naïve")).toEqual(["ecole", "angstrom", "naive"]);
    expect(tokenize("İstanbul")).toEqual(["istanbul"]);
    expect(tokenize("Ελληνικά")).toEqual(["ελληνικα"]);
  });

  it("folds compatibility characters", () => {
    expect(tokenize("ﬁle")).toEqual(["file"]); // ligature
    expect(tokenize("ＡＢＣ１２")).toEqual(["abc12"]); // full width
    expect(tokenize("x²")).toEqual(["x2"]);
  });

  it("keeps runs of unsegmented scripts whole", () => {
    expect(tokenize("東京 タワー")).toEqual(["東京", "タワー"]);
  });

  it("folds English plurals longer than 3 letters ending in s but not ss", () => {
    expect(tokenize("shoes")).toEqual(["shoe"]);
    expect(tokenize("bags")).toEqual(["bag"]);
    expect(tokenize("Cafés")).toEqual(["cafe"]); // accents go first, so the fold applies
    expect(tokenize("glass dress")).toEqual(["glass", "dress"]);
    expect(tokenize("bus gas its")).toEqual(["bus", "gas", "its"]); // 3 letters or fewer
    expect(tokenize("ps5s")).toEqual(["ps5s"]); // not only letters
    expect(tokenize("ελληνικές")).toEqual(["ελληνικες"]); // not English
    expect(tokenize("s ss")).toEqual(["s", "ss"]);
  });

  it("gives the same tokens on the ASCII fast path as on the Unicode path", () => {
    // A trailing no-break space (a separator after NFKD) forces the Unicode path without changing the tokens.
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 16;
    };
    for (let n = 0; n < 500; n++) {
      const text = Array.from({ length: next() % 40 }, () => String.fromCharCode(next() % 128)).join("");
      expect(tokenize(`${text}\u00a0`), JSON.stringify(text)).toEqual(tokenize(text));
    }
    expect(tokenize("Running SHOES, size 42 (2-Pack)\u00a0")).toEqual([
      "running",
      "shoe",
      "size",
      "42",
      "2",
      "pack",
    ]);
  });

  it("yields nothing for empty or punctuation-only text", () => {
    expect(tokenize("")).toEqual([]);
    expect(tokenize("   ")).toEqual([]);
    expect(tokenize("!!! --- ... >> ©")).toEqual([]);
    expect(tokenize("\u0301\u0308")).toEqual([]); // lone combining marks
  });
});
