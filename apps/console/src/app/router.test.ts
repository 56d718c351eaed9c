import { describe, expect, it } from "vitest";
import { hrefTo, parseRoute } from "./router.js";

describe("the console's routes", () => {
  it("are the path under /console/, decoded, with the query", () => {
    expect(parseRoute("/console").segments).toEqual([]);
    expect(parseRoute("/console/").segments).toEqual([]);
    expect(parseRoute("/console/visitors/ann%2Fb?kind=user").segments).toEqual(["visitors", "ann/b"]);
    expect(parseRoute("/console/visitors/ann?kind=user").query.get("kind")).toBe("user");
    expect(parseRoute("/console/placements/trending/").segments).toEqual(["placements", "trending"]);
  });

  it("link to paths under /console/", () => {
    expect(hrefTo("items/tent")).toBe("/console/items/tent");
    expect(hrefTo("")).toBe("/console/");
  });
});
