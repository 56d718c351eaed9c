import type { ItemUpsert, RateItem } from "@sibyl/events";
import { type Column, resolveColumn } from "./csv-columns.js";
import type { CsvRow } from "./csv-records.js";
import { checked, rejectedLine, type SourceItem } from "./import-source.js";
import { type EventOrder, ordered } from "./time-order.js";

export const MOVIES_FILE = "movies.csv";
export const RATINGS_FILE = "ratings.csv";
export const MOVIE_COLUMNS = ["movieId", "title", "genres"] as const;
export const RATING_COLUMNS = ["userId", "movieId", "rating", "timestamp"] as const;
/** MovieLens rates from 0.5 to 5 stars in half stars. */
const SCALE_MAX = 5;
const NO_GENRES = "(no genres listed)";
// The release year ends most titles: "Toy Story (1995)".
const TITLE_YEAR = /\((\d{4})\)$/;

/** The columns of one MovieLens file by name, or undefined when its header lacks one (a different file). */
export function movielensColumns<Name extends string>(
  header: readonly string[] | undefined,
  names: readonly Name[],
): Record<Name, Column> | undefined {
  if (header === undefined) return undefined;
  const columns = {} as Record<Name, Column>;
  for (const name of names) {
    if (!header.some((value) => value.trim() === name)) return undefined;
    columns[name] = resolveColumn(name, header, name);
  }
  return columns;
}

/** A movie as a catalog item, not yet given its time (that of the first rating). */
type CatalogEntry = { line: number; event: ItemUpsert };

/**
 * MovieLens as events: every movie of movies.csv as an `ItemUpsert` (title, genres as categories, release year as
 * an attribute), then every rating of ratings.csv as a `RateItem`, in time order or in file order. The catalog is
 * stamped with the time of the first rating handed out: it comes before every rating in the log, and no later in
 * time. Without any rating it has no time, and the destination stamps it.
 */
export async function* movielensItems(
  movies: { rows: AsyncIterable<CsvRow>; columns: Record<(typeof MOVIE_COLUMNS)[number], Column> },
  ratings: { rows: AsyncIterable<CsvRow>; columns: Record<(typeof RATING_COLUMNS)[number], Column> },
  order: EventOrder,
  sortBytes: number,
): AsyncGenerator<SourceItem, void, undefined> {
  const catalog: CatalogEntry[] = [];
  for await (const item of movieItems(movies.rows, movies.columns)) {
    if (item.kind === "event" && item.event.event_type === "ItemUpsert")
      catalog.push({ line: item.line, event: item.event });
    else yield item;
  }
  let catalogued = false;
  for await (const item of ordered(ratingItems(ratings.rows, ratings.columns), order, sortBytes)) {
    if (!catalogued && item.kind === "event") {
      yield* stamped(catalog, item.event.event_time);
      catalogued = true;
    }
    yield item;
  }
  if (!catalogued) yield* stamped(catalog, undefined);
}

function* stamped(catalog: CatalogEntry[], time: number | undefined): Generator<SourceItem> {
  for (const { line, event } of catalog) {
    const { event_type, event_id, ...fields } = event;
    yield checked(
      line,
      time === undefined ? event : { event_type, event_id, event_time: time, ...fields },
      MOVIES_FILE,
    );
  }
}

async function* movieItems(
  rows: AsyncIterable<CsvRow>,
  columns: Record<(typeof MOVIE_COLUMNS)[number], Column>,
): AsyncGenerator<SourceItem, void, undefined> {
  for await (const row of rows) {
    if (row.kind !== "record") {
      yield nonRecord(row, MOVIES_FILE);
      continue;
    }
    const field = (column: Column) => row.fields[column.index]?.trim() ?? "";
    const movieId = field(columns.movieId);
    const title = field(columns.title);
    if (movieId === "") {
      yield rejectedLine(row.line, columns.movieId.pointer, "is empty", { file: MOVIES_FILE });
      continue;
    }
    if (title === "") {
      yield rejectedLine(row.line, columns.title.pointer, "is empty", { file: MOVIES_FILE });
      continue;
    }
    const genres = [
      ...new Set(
        field(columns.genres)
          .split("|")
          .map((genre) => genre.trim())
          .filter((genre) => genre !== "" && genre !== NO_GENRES),
      ),
    ];
    const year = TITLE_YEAR.exec(title)?.[1];
    const event: ItemUpsert = {
      event_type: "ItemUpsert",
      event_id: `movielens-movie-${movieId}`,
      item_id: movieId,
      item_type: "video",
      title,
      ...(genres.length > 0 ? { categories: genres } : {}),
      // Not published_at: event times start in 1970, and many films are older.
      ...(year === undefined ? {} : { attributes: { year: Number(year) } }),
    };
    // Validated once stamped with its time.
    yield { kind: "event", line: row.line, event, file: MOVIES_FILE };
  }
}

async function* ratingItems(
  rows: AsyncIterable<CsvRow>,
  columns: Record<(typeof RATING_COLUMNS)[number], Column>,
): AsyncGenerator<SourceItem, void, undefined> {
  for await (const row of rows) {
    if (row.kind !== "record") {
      yield nonRecord(row, RATINGS_FILE);
      continue;
    }
    const field = (column: Column) => row.fields[column.index]?.trim() ?? "";
    const reject = (column: Column, message: string) =>
      rejectedLine(row.line, column.pointer, message, { file: RATINGS_FILE, eventType: "RateItem" });
    const userId = field(columns.userId);
    const movieId = field(columns.movieId);
    const rating = field(columns.rating);
    const timestamp = field(columns.timestamp);
    if (userId === "") yield reject(columns.userId, "is empty");
    else if (movieId === "") yield reject(columns.movieId, "is empty");
    else if (!/^\d+(?:\.\d+)?$/.test(rating) || Number(rating) > SCALE_MAX)
      yield reject(columns.rating, `"${rating}" is not a rating from 0 to ${SCALE_MAX}`);
    else if (!/^\d+$/.test(timestamp))
      yield reject(columns.timestamp, `"${timestamp}" is not a time in seconds since the epoch`);
    else {
      const event: RateItem = {
        event_type: "RateItem",
        event_id: `movielens-rating-${userId}-${movieId}-${timestamp}`,
        event_time: Number(timestamp) * 1000,
        user_info: { visitor_id: userId, user_id: userId },
        item: { item_id: movieId },
        rating: Number(rating),
        scale_max: SCALE_MAX,
      };
      yield checked(row.line, event, RATINGS_FILE);
    }
  }
}

function nonRecord(row: Exclude<CsvRow, { kind: "record" }>, file: string): SourceItem {
  return row.kind === "blank"
    ? { kind: "blank", line: row.line }
    : rejectedLine(row.line, "", row.message, { file });
}
