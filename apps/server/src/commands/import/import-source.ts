import { type RejectedLine, type SibylEvent, validateEvent } from "@sibyl/events";
import type { InputFile } from "./input-file.js";

/** A rejected line; `file` names it when a format reads several files (MovieLens reads two). */
export interface ImportRejection extends RejectedLine {
  file?: string;
}

/** What a format makes of one line (or record) of its input. */
export type SourceItem =
  | { kind: "event"; line: number; event: SibylEvent; file?: string }
  | { kind: "rejected"; rejection: ImportRejection }
  | { kind: "blank"; line: number }
  /** Read and understood, but deliberately not imported (an event value the mapping does not name). */
  | { kind: "skipped"; line: number; reason: string };

/** The input of one import: what it reads, how far it got, and the items it makes of it. */
export interface ImportSource {
  /** What the summary names as the input: a file, a directory, or `-`. */
  readonly path: string;
  /** Bytes in all, when known: the progress bar and the time left. */
  readonly size: number | undefined;
  readonly bytesRead: number;
  /** Lines read so far (header lines included). One line may give several events or none. */
  readonly linesRead: number;
  /** The items, once, in the order they are to be imported. */
  items(): AsyncIterable<SourceItem>;
  close(): Promise<void>;
}

/**
 * A problem with the input found while importing — a record of an unknown shape, more events to sort than the
 * memory allowed for it — that stops the import (exit code 1, the summary says why).
 */
export class SourceError extends Error {}

/** Validates an event a format made: the event, or its rejection with the pointer `validateEvent` gives. */
export function checked(line: number, event: SibylEvent, file?: string): SourceItem {
  const validation = validateEvent(event);
  if (validation.ok)
    return file === undefined ? { kind: "event", line, event } : { kind: "event", line, event, file };
  return {
    kind: "rejected",
    rejection: {
      line,
      event_type: event.event_type,
      errors: validation.errors,
      ...(file === undefined ? {} : { file }),
    },
  };
}

/** A rejection of a line for one reason. */
export function rejectedLine(
  line: number,
  pointer: string,
  message: string,
  extra: { file?: string; eventType?: string } = {},
): SourceItem {
  return {
    kind: "rejected",
    rejection: {
      line,
      ...(extra.eventType === undefined ? {} : { event_type: extra.eventType }),
      errors: [{ pointer, message }],
      ...(extra.file === undefined ? {} : { file: extra.file }),
    },
  };
}

/** A source reading one file, whose lines `count` reports as they are read. */
export function fileSource(
  input: InputFile,
  items: () => AsyncIterable<SourceItem>,
  count: () => number,
): ImportSource {
  return {
    path: input.path,
    size: input.size,
    get bytesRead() {
      return input.bytesRead;
    },
    get linesRead() {
      return count();
    },
    items,
    close: () => input.close(),
  };
}
