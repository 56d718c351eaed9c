import { type Command, InvalidArgumentError, Option } from "commander";
import { UsageError } from "../data-dir.js";
import { ColumnError, resolveColumn, type TimeUnit } from "./csv-columns.js";
import { CSV_EVENT_TYPES, type CsvEventType, type CsvMapping, csvItems } from "./csv-items.js";
import { openCsv } from "./csv-records.js";
import {
  importOptionsOf,
  importSubcommand,
  type OrderOptions,
  sortBytes,
  withOrderOptions,
} from "./import-options.js";
import { fileSource, type ImportSource } from "./import-source.js";
import { InputFileError, openInputFile } from "./input-file.js";
import { importFrom } from "./run-import.js";
import { ordered } from "./time-order.js";

/** Taobao's user behaviour log: page view, cart, favourite, buy. */
export const DEFAULT_MAP = "pv=DetailItemView,cart=AddToCart,fav=AddToList,buy=PurchaseComplete";
const MAX_RECORD_BYTES = 1 << 20;

const CSV_HELP = `
Columns are header names or 1-based positions (without a header, positions
only). Each row is one event of the user in --user on the item in --item.
The value in --event is looked up in --map, by default
  ${DEFAULT_MAP}
and may map to DetailItemView, AddToCart, RemoveFromCart, AddToList,
RemoveFromList, PurchaseComplete, or OtherInteraction (named after the
value, which must then be a lower-case identifier). --time is read in
--time-unit: s (a fraction allowed), ms, or iso (without a zone: UTC).
Consecutive purchase rows of one user at one time are one order: one
PurchaseComplete with every item, revenue 0 in currency XXX (no prices).

Rows whose event value --map does not name are skipped and counted in the
summary (exit 0), or with --strict rejected (exit 1). Event ids are hashes
of user, item, event value and time: a row imported twice has one id, and
the engine applies it once within its dedupe window (24 h of event time).

Example, Taobao's UserBehavior.csv (user,item,category,behaviour,seconds):
  sibyl import csv UserBehavior.csv --no-header --user 1 --item 2 --event 4 --time 5`;

/** `sibyl import csv <file>`: any user/item/event/time log, through a column mapping. */
export function csvImportCommand(): Command {
  return withOrderOptions(
    importSubcommand("csv", "import a CSV log of user, item, event and time through a column mapping"),
  )
    .argument("<file>", "the CSV file, read as a stream (- reads standard input)")
    .requiredOption("--user <column>", "the column of the user (visitor_id, and user_id unless --anonymous)")
    .requiredOption("--item <column>", "the column of the item id")
    .requiredOption("--event <column>", "the column of the event value that --map translates")
    .requiredOption("--time <column>", "the column of the event time")
    .option("--session <column>", "a column of session ids")
    .option("--anonymous", "the user column holds anonymous visitor ids: set no user_id")
    .addOption(
      new Option("--time-unit <unit>", "s or ms since the epoch, or iso (ISO 8601)")
        .choices(["s", "ms", "iso"])
        .default("s"),
    )
    .addOption(
      new Option("--map <pairs>", "value=EventType, comma-separated")
        .default(DEFAULT_MAP)
        .argParser(parseEventMap),
    )
    .option("--list-id <id>", "the list of AddToList and RemoveFromList events", "wishlist")
    .option("--delimiter <char>", "the field delimiter (\\t or tab for a tab)", ",")
    .option("--header", "the first line names the columns (the default)")
    .option("--no-header", "the first line is a row")
    .option("--strict", "reject rows whose event value --map does not name, instead of skipping them")
    .addHelpText("after", CSV_HELP)
    .action(async (file: string, options: CsvCommandOptions, command: Command) => {
      await importFrom("csv", importOptionsOf(command), () => openCsvSource(file, options));
    });
}

export interface CsvCommandOptions extends OrderOptions {
  user: string;
  item: string;
  event: string;
  time: string;
  session?: string;
  anonymous?: boolean;
  timeUnit: TimeUnit;
  map: Map<string, CsvEventType> | string;
  listId: string;
  delimiter: string;
  header?: boolean;
  strict?: boolean;
}

/** Parses --map: `value=EventType` pairs, comma-separated; a value may appear once. */
export function parseEventMap(text: string): Map<string, CsvEventType> {
  const map = new Map<string, CsvEventType>();
  for (const pair of text.split(",")) {
    const at = pair.lastIndexOf("=");
    const value = pair.slice(0, at).trim();
    const type = pair.slice(at + 1).trim();
    if (at <= 0 || value === "") throw new InvalidArgumentError(`"${pair}" is not value=EventType`);
    if (!(CSV_EVENT_TYPES as readonly string[]).includes(type))
      throw new InvalidArgumentError(`${type} is not one of ${CSV_EVENT_TYPES.join(", ")}`);
    if (map.has(value)) throw new InvalidArgumentError(`"${value}" is mapped twice`);
    map.set(value, type as CsvEventType);
  }
  return map;
}

/** Opens a CSV log as an import source; a column the file does not have is a UsageError (exit code 2). */
export async function openCsvSource(file: string, options: CsvCommandOptions): Promise<ImportSource> {
  const input = await openInputFile(file);
  try {
    const table = await openCsv(input, {
      delimiter: delimiterOf(options.delimiter),
      header: options.header !== false,
      maxRecordBytes: MAX_RECORD_BYTES,
    });
    if (options.header !== false && table.header === undefined)
      throw new InputFileError(`${file} is empty: it has no header line`);
    const column = (spec: string, flag: string) => resolveColumn(spec, table.header, flag);
    const mapping: CsvMapping = {
      user: column(options.user, "--user"),
      item: column(options.item, "--item"),
      event: column(options.event, "--event"),
      time: column(options.time, "--time"),
      ...(options.session === undefined ? {} : { session: column(options.session, "--session") }),
      anonymous: options.anonymous === true,
      timeUnit: options.timeUnit,
      map: typeof options.map === "string" ? parseEventMap(options.map) : options.map,
      listId: options.listId,
      strict: options.strict === true,
    };
    return fileSource(
      input,
      () => ordered(csvItems(table.rows(), mapping), options.order, sortBytes(options)),
      () => table.linesRead,
    );
  } catch (error) {
    await input.close();
    if (error instanceof ColumnError) throw new UsageError(error.message);
    throw error;
  }
}

function delimiterOf(text: string): string {
  if (text === "\\t" || text === "tab") return "\t";
  if (text === "") throw new UsageError("--delimiter cannot be empty");
  return text;
}
