import type { Durability } from "@sibyl/engine";
import type { SibylEvent } from "@sibyl/events";

/** What became of one batch. */
export interface AppendOutcome {
  /** Events written (appended to the log, or to the output file). */
  accepted: number;
  /** Events refused, by index in the batch, with the pointer and reason. */
  refused: { index: number; error: { pointer: string; message: string } }[];
}

/** Where the summary says the events went. */
export type SinkDestination = { dataDir: string; durability: Durability } | { out: string };

/** What a data directory reports once the import is done. */
export interface SinkReport {
  /** Events the engine ignored as a repeated event_id. */
  duplicates?: number;
  snapshots?: number;
  /** The log position of the last record in the log (segment:offset). */
  lastPosition?: string | null;
}

/** Where imported events go: a data directory's log (and engine), or an NDJSON file. */
export interface EventSink {
  readonly destination: SinkDestination;
  /** Whether the summary goes to stderr because the events themselves go to stdout. */
  readonly usesStdout: boolean;
  append(events: readonly SibylEvent[]): Promise<AppendOutcome>;
  /**
   * Makes what was written durable and releases it. `complete` is false when the import stopped early: a data
   * directory keeps what was appended (an import does not resume), an output file is not left half written.
   */
  close(complete: boolean): Promise<void>;
  /** Called after close. */
  report(): SinkReport;
}
