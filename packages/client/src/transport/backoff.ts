import type { RetryOptions } from "../options.js";

/** Statuses that mean "not now": the server was busy, recovering or could not write its log, and accepted nothing. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/**
 * Milliseconds to wait after failed attempt number `attempt` (1-based): the server's Retry-After when it sent one
 * (at most `maxRetryAfterMs`), else full jitter — a random time in [0, min(maxDelayMs, baseDelayMs · 2^(attempt−1))],
 * so many clients that failed together do not come back together.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  retry: Required<RetryOptions>,
  random: () => number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, retry.maxRetryAfterMs);
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return random() * ceiling;
}

/** Milliseconds a Retry-After header asks for: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date always names its zone (GMT); Date.parse would read a zoneless date as local time.
  if (!/\bGMT$/.test(text)) return undefined;
  const moment = Date.parse(text);
  if (Number.isNaN(moment)) return undefined;
  return Math.max(0, moment - nowMs);
}
