/** Numbers and times as the console shows them. */

const integer = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en", { maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat("en", { maximumSignificantDigits: 3 });

export function formatCount(value: number): string {
  return integer.format(value);
}

export function formatNumber(value: number): string {
  return Math.abs(value) >= 1000 ? integer.format(value) : decimal.format(value);
}

/** A rate, score or small measure with three significant digits: 0.0123, 1.23, 123, 6.14e-7. */
export function formatRate(value: number): string {
  if (value === 0) return "0";
  // Decayed scores can be minute; digits after a long run of zeros say nothing to anyone.
  if (Math.abs(value) < 0.001) return value.toExponential(2);
  return compact.format(value);
}

/** A share as a percentage, or "—" when there is nothing to divide by. */
export function formatShare(part: number, whole: number): string {
  if (whole === 0) return "—";
  return `${decimal.format((100 * part) / whole)} %`;
}

/** Milliseconds since the epoch as an ISO-like UTC time, to the second. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms <= 0) return "—";
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
