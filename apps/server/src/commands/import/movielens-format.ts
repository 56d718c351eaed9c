import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { type CsvTable, openCsv } from "./csv-records.js";
import {
  importOptionsOf,
  importSubcommand,
  type OrderOptions,
  sortBytes,
  withOrderOptions,
} from "./import-options.js";
import type { ImportSource } from "./import-source.js";
import { type InputFile, InputFileError, openInputFile } from "./input-file.js";
import {
  MOVIE_COLUMNS,
  MOVIES_FILE,
  movielensColumns,
  movielensItems,
  RATING_COLUMNS,
  RATINGS_FILE,
} from "./movielens-items.js";
import { importFrom } from "./run-import.js";

const MAX_RECORD_BYTES = 1 << 20;

const MOVIELENS_HELP = `
What is imported. movies.csv: each movie as an ItemUpsert (item_id =
movieId, item_type video, the title, the genres as categories, the release
year from the title as attributes.year). ratings.csv: each rating as a
RateItem (visitor_id and user_id = userId, scale_max 5). Event ids come
from the rows (movielens-movie-<movieId>,
movielens-rating-<userId>-<movieId>-<timestamp>). The catalog comes first,
stamped with the time of the first rating; tags.csv and links.csv are not
read (a tag is a later user action, not a catalog field).

Order and memory. ratings.csv is sorted by user, not by time: with the
default --order time the ratings are held in memory, about 300 bytes each,
and handed out in time order once the file is read. ml-latest-small's 100k
ratings take about 30 MiB; ml-25m's 25 M would take about 7 GiB, beyond the
default --sort-memory of 1024 MiB, and the import stops with a message
before anything is written. For large sets, sort ratings.csv by its
timestamp column first and import with --order file, which holds nothing:
  mkdir sorted && cp movies.csv sorted/
  (head -1 ratings.csv; tail -n +2 ratings.csv | sort -t, -k4,4n -s) > sorted/ratings.csv
  sibyl import movielens sorted --order file`;

/** `sibyl import movielens <dir>`: a MovieLens dataset directory (movies.csv, ratings.csv). */
export function movielensImportCommand(): Command {
  return withOrderOptions(
    importSubcommand(
      "movielens",
      "import a MovieLens directory: movies.csv as catalog items, ratings.csv as ratings in time order",
    ),
  )
    .argument("<dir>", "the directory holding movies.csv and ratings.csv (ml-latest-small, ml-25m …)")
    .addHelpText("after", MOVIELENS_HELP)
    .action(async (dir: string, options: OrderOptions, command: Command) => {
      await importFrom("movielens", importOptionsOf(command), () => openMovielens(dir, options));
    });
}

/** Opens a MovieLens directory as an import source, or throws an InputFileError that says what is wrong. */
export async function openMovielens(dir: string, options: OrderOptions): Promise<ImportSource> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    // A missing directory is reported below, naming the file that cannot be read.
    if (error.code === "ENOENT") return undefined;
    throw new InputFileError(`cannot read ${dir}: ${error.message}`);
  });
  if (info !== undefined && !info.isDirectory())
    throw new InputFileError(
      `${dir} is a file: give the MovieLens directory, holding movies.csv and ratings.csv`,
    );
  const files: InputFile[] = [];
  try {
    files.push(await openInputFile(join(dir, MOVIES_FILE)));
    files.push(await openInputFile(join(dir, RATINGS_FILE)));
    const [moviesFile, ratingsFile] = files as [InputFile, InputFile];
    const csv = { delimiter: ",", header: true, maxRecordBytes: MAX_RECORD_BYTES };
    const movies = await openCsv(moviesFile, csv);
    const ratings = await openCsv(ratingsFile, csv);
    const movieColumns = movielensColumns(movies.header, MOVIE_COLUMNS);
    if (movieColumns === undefined) throw notMovielens(moviesFile, movies, MOVIE_COLUMNS);
    const ratingColumns = movielensColumns(ratings.header, RATING_COLUMNS);
    if (ratingColumns === undefined) throw notMovielens(ratingsFile, ratings, RATING_COLUMNS);
    return {
      path: dir,
      size:
        moviesFile.size === undefined || ratingsFile.size === undefined
          ? undefined
          : moviesFile.size + ratingsFile.size,
      get bytesRead() {
        return moviesFile.bytesRead + ratingsFile.bytesRead;
      },
      get linesRead() {
        return movies.linesRead + ratings.linesRead;
      },
      items: () =>
        movielensItems(
          { rows: movies.rows(), columns: movieColumns },
          { rows: ratings.rows(), columns: ratingColumns },
          options.order,
          sortBytes(options),
        ),
      close: () => closeAll(files),
    };
  } catch (error) {
    await closeAll(files);
    throw error;
  }
}

function notMovielens(file: InputFile, table: CsvTable, expected: readonly string[]): InputFileError {
  const header = table.header === undefined ? "it is empty" : `its header is ${table.header.join(",")}`;
  return new InputFileError(`${file.path} is not a MovieLens file: ${header}, not ${expected.join(",")}`);
}

async function closeAll(files: InputFile[]): Promise<void> {
  for (const file of files) await file.close();
}
