import { createHash } from "node:crypto";

/** A column of a CSV file: where it is, and how rejections name it. */
export interface Column {
  /** 0-based position in a record. */
  index: number;
  /** The header name, or the 1-based position when the file has no header. */
  name: string;
  /** The JSON pointer rejections use for a value of this column: `/<name>`. */
  pointer: string;
}

/** A column that cannot be found: the header does not name it, or the position is not a number. */
export class ColumnError extends Error {}

/**
 * Finds a column given as a header name or a 1-based position (as `cut -f` counts): a header name wins over a
 * position, so a column literally named "2" can still be chosen.
 */
export function resolveColumn(spec: string, header: readonly string[] | undefined, flag: string): Column {
  if (header !== undefined) {
    const index = header.findIndex((name) => name.trim() === spec.trim());
    if (index >= 0) return column(index, header[index]!.trim());
  }
  if (/^[1-9][0-9]*$/.test(spec)) {
    const index = Number(spec) - 1;
    if (header !== undefined && index >= header.length)
      throw new ColumnError(
        `${flag} ${spec}: the header has only ${header.length} columns (${header.join(", ")})`,
      );
    return column(index, header?.[index]?.trim() || spec);
  }
  throw new ColumnError(
    header === undefined
      ? `${flag} ${spec}: without a header, columns are given by 1-based position`
      : `${flag} ${spec}: no such column in the header (${header.join(", ")})`,
  );
}

function column(index: number, name: string): Column {
  return { index, name, pointer: `/${name.replaceAll("~", "~0").replaceAll("/", "~1")}` };
}

export type TimeUnit = "s" | "ms" | "iso";

// An ISO 8601 date, optionally with a time and a zone: "2017-11-25", "2017-11-25T10:03:00Z", "2017-11-25 10:03".
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A time value as integer milliseconds since the epoch, or undefined when it is not one. Seconds may have a
 * fraction; an ISO time without a zone is read as UTC, so the result does not depend on the machine's zone.
 */
export function parseTime(value: string, unit: TimeUnit): number | undefined {
  const text = value.trim();
  if (unit === "iso") {
    const match = ISO_TIME.exec(text);
    if (!match) return undefined;
    const zone = match[1];
    let normal = text.replace(" ", "T");
    if (zone !== undefined && zone !== "Z" && !zone.includes(":"))
      normal = `${normal.slice(0, -2)}:${normal.slice(-2)}`;
    else if (zone === undefined && text.length > 10) normal += "Z";
    const ms = Date.parse(normal);
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (!/^\d+(?:\.\d+)?$/.test(text)) return undefined;
  const ms = unit === "s" ? Math.round(Number(text) * 1000) : Number(text);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** What a time unit expects, for rejection messages. */
export function timeUnitName(unit: TimeUnit): string {
  return unit === "s"
    ? "seconds since the epoch"
    : unit === "ms"
      ? "milliseconds since the epoch"
      : "an ISO 8601 time";
}

/**
 * A deterministic event id made of the values that identify a record, short enough for any value lengths: the
 * same record imported twice gets the same id, which the engine applies once.
 */
export function contentId(prefix: string, parts: readonly string[]): string {
  return `${prefix}-${createHash("sha256").update(parts.join("\u0000")).digest("base64url").slice(0, 22)}`;
}
