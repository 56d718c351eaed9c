import { type Durability, formatPosition, openEngine, SibylEngineError } from "@sibyl/engine";
import type { RejectedLine, SibylEvent } from "@sibyl/events";
import { engineErrorOf } from "../../http/routes/events.js";
import { printJson } from "../data-dir.js";
import { type InputFile, InputFileError, openInputFile } from "./input-file.js";
import { ImportProgress } from "./progress.js";

/** What a format makes of one line (or record) of its input. */
export type SourceItem =
  | { kind: "event"; line: number; event: SibylEvent }
  | { kind: "rejected"; rejection: RejectedLine }
  | { kind: "blank"; line: number };

/** The options every `sibyl import <format>` shares. */
export interface ImportOptions {
  dataDir: string;
  batch: number;
  durability: Durability;
  progress: boolean;
}

export interface ImportSummary {
  format: string;
  file: string;
  dataDir: string;
  durability: Durability;
  linesRead: number;
  blankLines: number;
  /** Events appended to the log (and applied). */
  eventsImported: number;
  /** Of those, how many the engine ignored as a repeated event_id. */
  duplicates: number;
  linesRejected: number;
  /** The first rejected lines, by line number. */
  rejections: RejectedLine[];
  snapshots: number;
  /** The log position of the last record in the log (segment:offset), after the import. */
  lastPosition: string | null;
  durationSeconds: number;
  eventsPerSecond: number;
  /** Why the import stopped before the end of the input. */
  error?: string;
}

export const REJECTIONS_SHOWN = 20;

/**
 * Runs `sibyl import <format> <file>`: opens the file (exit 1 with one line when it cannot), imports what `parse`
 * makes of it, prints the summary as JSON on stdout. Exit code 1 when a line was rejected or the import stopped.
 */
export async function importFile(
  format: string,
  file: string,
  options: ImportOptions,
  parse: (input: InputFile) => AsyncIterable<SourceItem>,
): Promise<void> {
  let input: InputFile;
  try {
    input = await openInputFile(file);
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    console.error(`sibyl: ${error.message}`);
    process.exitCode = 1;
    return;
  }
  try {
    const summary = await runImport(format, input, parse(input), options);
    printJson(summary);
    if (summary.linesRejected > 0 || summary.error !== undefined) process.exitCode = 1;
  } finally {
    await input.close();
  }
}

/** Appends the events of `items` to the data directory in batches; never stops at a rejected line. */
export async function runImport(
  format: string,
  input: InputFile,
  items: AsyncIterable<SourceItem>,
  options: ImportOptions,
): Promise<ImportSummary> {
  const started = performance.now();
  let snapshots = 0;
  const engine = await openEngine({
    dataDir: options.dataDir,
    durability: options.durability,
    onSnapshot: () => snapshots++,
  });
  const duplicatesBefore = engine.stats().duplicates;
  const progress = options.progress
    ? new ImportProgress({
        totalBytes: input.size,
        tty: process.stderr.isTTY === true,
        columns: process.stderr.columns,
        write: (text) => process.stderr.write(text),
      })
    : undefined;
  let lines = 0;
  let blankLines = 0;
  let imported = 0;
  let rejectedLines = 0;
  let rejections: RejectedLine[] = [];
  let batch: SibylEvent[] = [];
  let batchLines: number[] = [];
  let error: string | undefined;

  // Lines arrive in order, but the engine's refusals of a batch come after later lines were validated: keep the
  // smallest line numbers.
  const reject = (rejection: RejectedLine) => {
    rejectedLines++;
    if (rejections.length < REJECTIONS_SHOWN) rejections.push(rejection);
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const events = batch;
    const eventLines = batchLines;
    batch = [];
    batchLines = [];
    const result = await engine.append(events);
    imported += result.accepted;
    if (result.rejected.length === 0) return;
    for (const { index, error: refusal } of result.rejected) {
      rejectedLines++;
      rejections.push({
        line: eventLines[index]!,
        event_type: events[index]!.event_type,
        errors: [engineErrorOf(refusal)],
      });
    }
    rejections = rejections.sort((a, b) => a.line - b.line).slice(0, REJECTIONS_SHOWN);
  };
  const report = () =>
    progress?.update({ bytes: input.bytesRead, lines, events: imported, rejected: rejectedLines });

  try {
    for await (const item of items) {
      lines++;
      if (item.kind === "event") {
        batch.push(item.event);
        batchLines.push(item.line);
        if (batch.length >= options.batch) {
          await flush();
          report();
        }
      } else if (item.kind === "rejected") {
        reject(item.rejection);
      } else {
        blankLines++;
      }
      if (lines % 1024 === 0) report();
    }
    await flush();
  } catch (caught) {
    if (!isOperational(caught)) throw caught;
    error = `stopped after line ${lines}: ${(caught as Error).message}`;
  } finally {
    progress?.finish();
  }
  try {
    await engine.close();
  } catch (caught) {
    if (!isOperational(caught)) throw caught;
    error ??= `the log could not be closed, the last events may not be on disk: ${(caught as Error).message}`;
  }

  const seconds = (performance.now() - started) / 1000;
  return {
    format,
    file: input.path,
    dataDir: options.dataDir,
    durability: options.durability,
    linesRead: lines,
    blankLines,
    eventsImported: imported,
    duplicates: engine.stats().duplicates - duplicatesBefore,
    linesRejected: rejectedLines,
    rejections,
    snapshots,
    lastPosition: engine.lastApplied && formatPosition(engine.lastApplied),
    durationSeconds: Math.round(seconds * 1000) / 1000,
    eventsPerSecond: seconds > 0 ? Math.round(imported / seconds) : 0,
    ...(error === undefined ? {} : { error }),
  };
}

/** A failure of the file or the log (I/O, a full disk), as opposed to a bug. */
function isOperational(error: unknown): boolean {
  return error instanceof SibylEngineError || typeof (error as NodeJS.ErrnoException)?.code === "string";
}
