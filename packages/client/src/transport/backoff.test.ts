import { describe, expect, it } from "vitest";
import { isRetryableStatus, parseRetryAfter, retryDelayMs } from "./backoff.js";

const retry = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 1_000, maxRetryAfterMs: 60_000 };

describe("retryDelayMs", () => {
  it("draws from [0, base · 2^(attempt−1)], capped at maxDelayMs (full jitter)", () => {
    expect(retryDelayMs(1, undefined, retry, () => 0.999)).toBeCloseTo(199.8);
    expect(retryDelayMs(2, undefined, retry, () => 0.5)).toBe(200);
    expect(retryDelayMs(3, undefined, retry, () => 0.5)).toBe(400);
    expect(retryDelayMs(4, undefined, retry, () => 0.5)).toBe(500);
    expect(retryDelayMs(9, undefined, retry, () => 0.5)).toBe(500);
    expect(retryDelayMs(3, undefined, retry, () => 0)).toBe(0);
  });

  it("spreads clients that failed together", () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, undefined, retry, Math.random)));
    expect(delays.size).toBeGreaterThan(40);
    for (const delay of delays) expect(delay).toBeLessThan(800);
  });

  it("waits what Retry-After asks, without jitter, at most maxRetryAfterMs", () => {
    expect(retryDelayMs(1, 5_000, retry, () => 0.1)).toBe(5_000);
    expect(retryDelayMs(1, 3_600_000, retry, () => 0.1)).toBe(60_000);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.UTC(2026, 10, 27, 12, 0, 0);

  it("reads delay-seconds", () => {
    expect(parseRetryAfter("5", now)).toBe(5_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  it("reads an HTTP date as the time left until it, never negative", () => {
    expect(parseRetryAfter("Fri, 27 Nov 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Fri, 27 Nov 2026 11:00:00 GMT", now)).toBe(0);
  });

  it("ignores what it cannot read", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-3", now)).toBeUndefined();
    expect(parseRetryAfter("2026-11-27 12:00:30", now)).toBeUndefined();
  });
});

it("retries 429 and 503 only", () => {
  expect([429, 503].every(isRetryableStatus)).toBe(true);
  expect([200, 207, 400, 401, 403, 404, 413, 415, 500, 502, 504].some(isRetryableStatus)).toBe(false);
});
