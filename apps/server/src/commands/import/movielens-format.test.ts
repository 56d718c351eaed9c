import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openEngine } from "@sibyl/engine";
import { type SibylEvent, validateEvent } from "@sibyl/events";
import { describe, expect, it } from "vitest";
import { openMovielens } from "./movielens-format.js";
import { collect, countTypes, movielensSlice, scratch, sharedData, sibyl } from "./test-support.js";

const inTime = { order: "time", sortMemory: 64 } as const;

describe("sibyl import movielens", () => {
  it("makes the first movies catalog items and the ratings of three users RateItems, in time order", async () => {
    const { dir, ratings } = movielensSlice({ movies: 120, users: [1, 2, 3] });
    expect(ratings).toHaveLength(300);
    const result = await collect(await openMovielens(dir, inTime));

    expect(result.rejections).toEqual([]);
    expect(countTypes(result.events)).toEqual({ ItemUpsert: 120, RateItem: 300 });
    for (const event of result.events) expect(validateEvent(event).ok).toBe(true);
    const times = result.events.map((event) => event.event_time!);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const earliest = Math.min(...ratings.map((fields) => Number(fields[3]) * 1000));
    expect(result.events.slice(0, 120).every((event) => event.event_time === earliest)).toBe(true);

    const catalog = result.events.filter((event) => event.event_type === "ItemUpsert");
    expect(catalog[0]).toEqual({
      event_type: "ItemUpsert",
      event_id: "movielens-movie-1",
      event_time: earliest,
      item_id: "1",
      item_type: "video",
      title: "Toy Story (1995)",
      categories: ["Adventure", "Animation", "Children", "Comedy", "Fantasy"],
      attributes: { year: 1995 },
    });
    // Line 12: a quoted title with a comma.
    expect(catalog.find((event) => event.item_id === "11")).toMatchObject({
      title: "American President, The (1995)",
      categories: ["Comedy", "Drama", "Romance"],
    });

    const rating = result.events.find(
      (event) => event.event_type === "RateItem" && event.event_id === "movielens-rating-1-1-964982703",
    );
    expect(rating).toEqual({
      event_type: "RateItem",
      event_id: "movielens-rating-1-1-964982703",
      event_time: 964_982_703_000,
      user_info: { visitor_id: "1", user_id: "1" },
      item: { item_id: "1" },
      rating: 4,
      scale_max: 5,
    });
    expect(new Set(result.events.map((event) => event.event_id)).size).toBe(420);
  });

  it("reads movies without genres, quoted quotes and trailing spaces as MovieLens wrote them", async () => {
    const dir = join(scratch(), "ml");
    mkdirSync(dir);
    writeFileSync(
      join(dir, "movies.csv"),
      [
        "movieId,title,genres",
        "114335,La cravate (1957),(no genres listed)",
        '7789,"11\'09""01 - September 11 (2002)",Drama',
        "27008,From Dusk Till Dawn 2: Texas Blood Money (1999) ,Comedy|Crime|Horror",
        "40697,Babylon 5,Sci-Fi",
      ].join("\r\n"),
    );
    writeFileSync(join(dir, "ratings.csv"), "userId,movieId,rating,timestamp\n7,40697,4.5,1100000000\n");
    const { events, rejections } = await collect(await openMovielens(dir, inTime));
    expect(rejections).toEqual([]);
    expect(events.map(({ event_type, ...rest }) => ({ event_type, ...pick(rest) }))).toEqual([
      { event_type: "ItemUpsert", title: "La cravate (1957)", attributes: { year: 1957 } },
      {
        event_type: "ItemUpsert",
        title: "11'09\"01 - September 11 (2002)",
        categories: ["Drama"],
        attributes: { year: 2002 },
      },
      {
        event_type: "ItemUpsert",
        title: "From Dusk Till Dawn 2: Texas Blood Money (1999)",
        categories: ["Comedy", "Crime", "Horror"],
        attributes: { year: 1999 },
      },
      { event_type: "ItemUpsert", title: "Babylon 5", categories: ["Sci-Fi"] },
      { event_type: "RateItem" },
    ]);
    expect(events[0]).not.toHaveProperty("categories");
    expect(events[3]).not.toHaveProperty("attributes");
  });

  it("rejects bad rating lines with the column to fix, importing the rest", async () => {
    const { dir } = movielensSlice({
      movies: 10,
      users: [2],
      extraRatings: ["9,1,7.0,964982703", "9,1,4.0,yesterday", ",1,4.0,964982703", '9,"1,4.0,964982703'],
    });
    const { events, rejections } = await collect(await openMovielens(dir, { order: "file", sortMemory: 64 }));
    expect(countTypes(events)).toEqual({ ItemUpsert: 10, RateItem: 29 });
    expect(rejections.map(({ file, line, errors }) => ({ file, line, pointer: errors[0]!.pointer }))).toEqual(
      [
        { file: "ratings.csv", line: 31, pointer: "/rating" },
        { file: "ratings.csv", line: 32, pointer: "/timestamp" },
        { file: "ratings.csv", line: 33, pointer: "/userId" },
        { file: "ratings.csv", line: 34, pointer: "" },
      ],
    );
    expect(rejections[0]!.errors[0]!.message).toBe('"7.0" is not a rating from 0 to 5');
    expect(rejections[3]!.errors[0]!.message).toBe(
      "has a quoted field that is not closed before the end of the file",
    );
  });

  it("in file order stamps the catalog with the first rating of the file and holds nothing back", async () => {
    const { dir, ratings } = movielensSlice({ movies: 5, users: [3, 1] });
    expect(ratings[0]![0]).toBe("1");
    const { events } = await collect(await openMovielens(dir, { order: "file", sortMemory: 1 }));
    const rated = events.filter((event) => event.event_type === "RateItem");
    expect(rated.map((event) => event.event_id)).toEqual(
      ratings.map(([user, movie, , time]) => `movielens-rating-${user}-${movie}-${time}`),
    );
    expect(events[0]!.event_time).toBe(Number(ratings[0]![3]) * 1000);
  });

  it("stops before writing anything when the ratings need more memory to sort than allowed", async () => {
    // Three of the heaviest raters: 7,284 ratings, about 2 MiB as held.
    const { dir } = movielensSlice({ movies: 5, users: [414, 599, 474] });
    await expect(collect(await openMovielens(dir, { order: "time", sortMemory: 1 }))).rejects.toThrow(
      /more than 1 MiB of events to put in time order .* --order file, or raise --sort-memory/,
    );
  });

  it("says which file is missing or is not MovieLens", async () => {
    const dir = join(scratch(), "ml");
    mkdirSync(dir);
    writeFileSync(join(dir, "movies.csv"), "movieId,title,genres\n");
    await expect(openMovielens(dir, inTime)).rejects.toThrow(
      `cannot read ${join(dir, "ratings.csv")}: no such file`,
    );
    writeFileSync(join(dir, "ratings.csv"), "user,item,stars,when\n");
    await expect(openMovielens(dir, inTime)).rejects.toThrow(
      "ratings.csv is not a MovieLens file: its header is user,item,stars,when, not userId,movieId,rating,timestamp",
    );
    await expect(openMovielens(join(dir, "movies.csv"), inTime)).rejects.toThrow(
      /is a file: give the MovieLens directory/,
    );
  });

  it("imports all of ml-latest-small into a data directory from the command line", async () => {
    const dataDir = join(scratch(), "data");
    const ml = sharedData("movielens-latest-small");
    // Under load the import may outlast the first progress line (5 s): only the summary is under test here.
    const run = sibyl("import", "movielens", ml, "--data-dir", dataDir, "--no-progress");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({
      format: "movielens",
      dataDir,
      linesRead: 9743 + 100_837,
      eventsImported: 110_578,
      eventTypes: { ItemUpsert: 9742, RateItem: 100_836 },
      duplicates: 0,
      linesRejected: 0,
      skipped: 0,
    });
    const engine = await openEngine({ dataDir });
    expect(engine.stats()).toMatchObject({
      totalEvents: 110_578,
      catalogued: 9742,
      items: 9742,
      visitors: 610,
    });
    expect(engine.inspectItem("1")).toMatchObject({
      catalogued: true,
      catalog: { item_type: "video", title: "Toy Story (1995)", attributes: { year: 1995 } },
    });
    await engine.close();
  });
});

function pick(event: Partial<SibylEvent> & Record<string, unknown>) {
  const { title, categories, attributes } = event;
  return {
    ...(title === undefined ? {} : { title }),
    ...(categories === undefined ? {} : { categories }),
    ...(attributes === undefined ? {} : { attributes }),
  };
}
