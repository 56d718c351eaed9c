import { Readable } from "node:stream";
import { type CsvError, parse } from "csv-parse";
import type { InputFile } from "./input-file.js";

export interface CsvOptions {
  /** One character (or string) between fields. */
  delimiter: string;
  /** The first line names the columns. */
  header: boolean;
  /** A longer record is rejected, so one unclosed quote cannot hold the rest of the file in memory. */
  maxRecordBytes: number;
}

/** One record (1-based `line`: where it ends), a blank line, or a line that is not valid CSV. */
export type CsvRow =
  | { kind: "record"; line: number; fields: string[] }
  | { kind: "blank"; line: number }
  | { kind: "malformed"; line: number; message: string };

/** A CSV file being read: its header (when it has one) and its rows, streamed. */
export interface CsvTable {
  readonly header: readonly string[] | undefined;
  /** Lines read so far, the header included. */
  readonly linesRead: number;
  rows(): AsyncIterable<CsvRow>;
}

interface ParsedRecord {
  info: { lines: number };
  record: string[];
}

/**
 * Reads `input` as CSV with csv-parse, streaming (quoted fields with delimiters, quotes and line breaks; a BOM is
 * dropped). A line that is not valid CSV is reported as `malformed` and reading goes on after it. With `header`,
 * the first record is read before this returns, so a missing column is found before anything is imported.
 */
export async function openCsv(input: InputFile, options: CsvOptions): Promise<CsvTable> {
  const malformed: CsvRow[] = [];
  let linesRead = 0;
  // Where the parser is, ahead of what has been handed out.
  let parsedLines = 0;
  const parser = parse({
    delimiter: options.delimiter,
    bom: true,
    // Both line ends, even mixed in one file (a CRLF export with lines added by hand).
    record_delimiter: ["\r\n", "\n"],
    info: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: options.maxRecordBytes,
    skip_records_with_error: true,
    on_record: (record: string[], context: { lines: number }) => {
      parsedLines = context.lines;
      return record;
    },
    on_skip: (error: CsvError | undefined) => {
      if (error === undefined) return;
      // csv-parse counts the final line break inside an unclosed quote as a line: the field began in the record
      // after the last one parsed.
      const unclosed = error.code === "CSV_QUOTE_NOT_CLOSED";
      const line = unclosed
        ? parsedLines + 1
        : typeof error.lines === "number"
          ? error.lines
          : parsedLines + 1;
      linesRead = Math.max(linesRead, line);
      malformed.push({
        kind: "malformed",
        line,
        message: unclosed
          ? "has a quoted field that is not closed before the end of the file"
          : error.message,
      });
    },
  });
  const chunks = Readable.from(input.chunks());
  // pipe() does not pass a read error on: the parser would wait for more input forever.
  chunks.on("error", (error) => parser.destroy(error));
  chunks.pipe(parser);
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<ParsedRecord>;

  let header: string[] | undefined;
  if (options.header) {
    const first = await records.next();
    if (!first.done) {
      header = first.value.record;
      linesRead = Math.max(linesRead, first.value.info.lines);
    }
  }

  return {
    header,
    get linesRead() {
      return linesRead;
    },
    async *rows() {
      try {
        for (;;) {
          const next = await records.next();
          while (malformed.length > 0) yield malformed.shift()!;
          if (next.done) return;
          const { info, record } = next.value;
          linesRead = Math.max(linesRead, info.lines);
          if (record.length === 1 && record[0] === "") yield { kind: "blank", line: info.lines };
          else yield { kind: "record", line: info.lines, fields: record };
        }
      } finally {
        // An import that stops early stops the parser too, rather than leave it reading a closed file.
        await records.return?.();
      }
    },
  };
}
