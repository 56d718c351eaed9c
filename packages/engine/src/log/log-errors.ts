/**
 * Errors the event log throws on purpose. They extend SibylEngineError so one `instanceof` catches every engine
 * error; `code` is stable and machine-readable.
 */
import { SibylEngineError } from "../errors/engine-errors.js";

/**
 * A segment holds bytes that are not a valid record, somewhere a crash cannot explain (not a torn tail). The log
 * refuses to open rather than silently lose the records after it; `skipCorrupt` opens it anyway.
 */
export class LogCorruptionError extends SibylEngineError {
  constructor(
    /** Path of the segment file. */
    readonly file: string,
    /** Byte offset in that file where the invalid data starts. */
    readonly offset: number,
    /** What was wrong, e.g. "bad-checksum" or "bad magic". */
    readonly reason: string,
  ) {
    super(
      "log_corrupt",
      `event log corrupt in ${file} at byte ${offset} (${reason}); valid records follow it, so this is not a ` +
        "torn tail. Restore the file from a replica, or open with skipCorrupt to skip the damaged range.",
    );
  }
}

/**
 * An append (or redaction) could not be made durable: the write, fsync or truncate failed. Nothing of the failed
 * batch is acknowledged and the log has been (or will be, before the next write) cut back to the last
 * acknowledged record.
 */
export class LogWriteError extends SibylEngineError {
  constructor(
    message: string,
    /** The underlying error, usually a Node system error. */
    override readonly cause: unknown,
  ) {
    super(systemErrorCode(cause) ?? "log_write_failed", `${message}: ${describe(cause)}`);
  }
}

/** The log is closed, read-only, or was asked for something its state does not allow. */
export class LogStateError extends SibylEngineError {}

/** A position does not name a record of this log (outside it, or not on a record boundary). */
export class LogPositionError extends SibylEngineError {
  constructor(message: string) {
    super("log_bad_position", message);
  }
}

/** The `code` of a Node system error ("ENOSPC", "EIO", …), if the value is one. */
export function systemErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
