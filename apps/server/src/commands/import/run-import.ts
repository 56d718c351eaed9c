import { type Durability, SibylEngineError } from "@sibyl/engine";
import type { SibylEvent } from "@sibyl/events";
import { printJson } from "../data-dir.js";
import { openDataDirSink } from "./data-dir-sink.js";
import type { EventSink } from "./event-sink.js";
import type { ImportRejection, ImportSource, SourceItem } from "./import-source.js";
import { SourceError } from "./import-source.js";
import { InputFileError } from "./input-file.js";
import { OutputFileError, openNdjsonOutSink } from "./ndjson-out-sink.js";
import { ImportProgress } from "./progress.js";

export type { SourceItem } from "./import-source.js";

/** Where an import writes: a data directory (the default) or an NDJSON file. */
export type ImportDestination = { dataDir: string; durability: Durability } | { out: string };

/** The options every `sibyl import <format>` shares, as the runner needs them. */
export interface ImportOptions {
  destination: ImportDestination;
  batch: number;
  progress: boolean;
}

export interface ImportSummary {
  format: string;
  file: string;
  dataDir?: string;
  durability?: Durability;
  out?: string;
  linesRead: number;
  blankLines: number;
  /** Events written: appended to the log (and applied), or to the output file. */
  eventsImported: number;
  /** Of those, how many of each event type. */
  eventTypes: Record<string, number>;
  /** Of those, how many the engine ignored as a repeated event_id (data directory only). */
  duplicates?: number;
  /** Lines read and deliberately not imported, with how many for each reason. */
  skipped: number;
  skippedReasons: Record<string, number>;
  linesRejected: number;
  /** The first rejected lines, by file and line number. */
  rejections: ImportRejection[];
  snapshots?: number;
  /** The log position of the last record in the log (segment:offset), after the import. */
  lastPosition?: string | null;
  durationSeconds: number;
  eventsPerSecond: number;
  /** Why the import stopped before the end of the input. */
  error?: string;
}

export const REJECTIONS_SHOWN = 20;
/** Distinct skip reasons listed; the rest are counted under one. */
const SKIP_REASONS_SHOWN = 20;
const OTHER_REASONS = "other reasons";

/**
 * Runs `sibyl import <format> …`: opens the input (exit 1 with one line when it cannot), opens the destination,
 * imports, prints the summary as JSON — on stdout, or on stderr when the events themselves go to stdout. Exit code
 * 1 when a line was rejected or the import stopped.
 */
export async function importFrom(
  format: string,
  options: ImportOptions,
  openSource: () => Promise<ImportSource>,
): Promise<void> {
  let source: ImportSource;
  try {
    source = await openSource();
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    return fail(error.message);
  }
  try {
    let sink: EventSink;
    try {
      sink = await openSink(options.destination);
    } catch (error) {
      if (!(error instanceof OutputFileError)) throw error;
      return fail(error.message);
    }
    const summary = await runImport(format, source, sink, options);
    if (sink.usesStdout) process.stderr.write(`${JSON.stringify(summary, null, 2)}\n`);
    else printJson(summary);
    if (summary.linesRejected > 0 || summary.error !== undefined) process.exitCode = 1;
  } finally {
    await source.close();
  }
}

function fail(message: string): void {
  console.error(`sibyl: ${message}`);
  process.exitCode = 1;
}

function openSink(destination: ImportDestination): Promise<EventSink> {
  return "out" in destination
    ? openNdjsonOutSink(destination.out)
    : openDataDirSink(destination.dataDir, destination.durability);
}

/** Writes the events of `source` to `sink` in batches; never stops at a rejected line. */
export async function runImport(
  format: string,
  source: ImportSource,
  sink: EventSink,
  options: Pick<ImportOptions, "batch" | "progress">,
): Promise<ImportSummary> {
  const started = performance.now();
  const tally = new Tally();
  const progress = options.progress
    ? new ImportProgress({
        totalBytes: source.size,
        tty: process.stderr.isTTY === true,
        columns: process.stderr.columns,
        write: (text) => process.stderr.write(text),
      })
    : undefined;
  let batch: SibylEvent[] = [];
  let batchItems: { line: number; file?: string }[] = [];
  let error: string | undefined;
  let complete = false;

  const flush = async () => {
    if (batch.length === 0) return;
    const events = batch;
    const origins = batchItems;
    batch = [];
    batchItems = [];
    const outcome = await sink.append(events);
    const refused = new Set<number>();
    for (const { index, error: refusal } of outcome.refused) {
      refused.add(index);
      const { line, file } = origins[index]!;
      tally.reject({
        line,
        event_type: events[index]!.event_type,
        errors: [refusal],
        ...(file === undefined ? {} : { file }),
      });
    }
    events.forEach((event, index) => {
      if (!refused.has(index)) tally.imported(event.event_type);
    });
  };
  const report = () =>
    progress?.update({
      bytes: source.bytesRead,
      lines: source.linesRead,
      events: tally.eventsImported,
      rejected: tally.linesRejected,
    });

  let seen = 0;
  try {
    for await (const item of source.items()) {
      if (item.kind === "event") {
        batch.push(item.event);
        batchItems.push(item.file === undefined ? { line: item.line } : { line: item.line, file: item.file });
        if (batch.length >= options.batch) {
          await flush();
          report();
        }
      } else {
        tally.other(item);
      }
      if (++seen % 1024 === 0) report();
    }
    await flush();
    complete = true;
  } catch (caught) {
    if (!isOperational(caught)) throw caught;
    error = `stopped after line ${source.linesRead}: ${(caught as Error).message}`;
  } finally {
    progress?.finish();
  }
  try {
    await sink.close(complete);
  } catch (caught) {
    if (!isOperational(caught)) throw caught;
    error ??= `the output could not be closed, the last events may not be on disk: ${(caught as Error).message}`;
  }

  const seconds = (performance.now() - started) / 1000;
  const { duplicates, snapshots, lastPosition } = sink.report();
  return {
    format,
    file: source.path,
    ...sink.destination,
    linesRead: source.linesRead,
    blankLines: tally.blankLines,
    eventsImported: tally.eventsImported,
    eventTypes: tally.eventTypes,
    ...(duplicates === undefined ? {} : { duplicates }),
    skipped: tally.skipped,
    skippedReasons: tally.skippedReasons,
    linesRejected: tally.linesRejected,
    rejections: tally.shownRejections(),
    ...(snapshots === undefined ? {} : { snapshots }),
    ...(lastPosition === undefined ? {} : { lastPosition }),
    durationSeconds: Math.round(seconds * 1000) / 1000,
    eventsPerSecond: seconds > 0 ? Math.round(tally.eventsImported / seconds) : 0,
    ...(error === undefined ? {} : { error }),
  };
}

/** The counts of an import, and the first rejections by file and line. */
class Tally {
  eventsImported = 0;
  readonly eventTypes: Record<string, number> = {};
  blankLines = 0;
  skipped = 0;
  readonly skippedReasons: Record<string, number> = {};
  linesRejected = 0;
  private rejections: ImportRejection[] = [];

  imported(eventType: string): void {
    this.eventsImported++;
    this.eventTypes[eventType] = (this.eventTypes[eventType] ?? 0) + 1;
  }

  other(item: Exclude<SourceItem, { kind: "event" }>): void {
    if (item.kind === "rejected") this.reject(item.rejection);
    else if (item.kind === "blank") this.blankLines++;
    else {
      this.skipped++;
      const known = item.reason in this.skippedReasons;
      const reason =
        known || Object.keys(this.skippedReasons).length < SKIP_REASONS_SHOWN ? item.reason : OTHER_REASONS;
      this.skippedReasons[reason] = (this.skippedReasons[reason] ?? 0) + 1;
    }
  }

  // Rejections do not arrive in line order (a sorted format hands events out late, the engine refuses a batch
  // after later lines were read): keep the smallest, trimming now and then.
  reject(rejection: ImportRejection): void {
    this.linesRejected++;
    this.rejections.push(rejection);
    if (this.rejections.length >= 4 * REJECTIONS_SHOWN) this.rejections = this.shownRejections();
  }

  shownRejections(): ImportRejection[] {
    return this.rejections.sort(byFileAndLine).slice(0, REJECTIONS_SHOWN);
  }
}

function byFileAndLine(a: ImportRejection, b: ImportRejection): number {
  const files = (a.file ?? "").localeCompare(b.file ?? "");
  return files !== 0 ? files : a.line - b.line;
}

/** A failure of the input or the output (I/O, a full disk, an input of the wrong shape), as opposed to a bug. */
function isOperational(error: unknown): boolean {
  return (
    error instanceof SibylEngineError ||
    error instanceof SourceError ||
    typeof (error as NodeJS.ErrnoException)?.code === "string"
  );
}
