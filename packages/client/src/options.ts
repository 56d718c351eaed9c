import { ConfigError, type DeliveryFailure } from "./errors.js";
import type { PageEnvironment } from "./page-hide/page-environment.js";

/** What the client gives `fetch`: the subset of RequestInit it uses. */
export interface FetchInit {
  method: "POST";
  headers: Record<string, string>;
  body: string;
  keepalive?: boolean;
  signal?: AbortSignal;
}

/** What the client reads of a `fetch` response. */
export interface FetchResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The global `fetch` satisfies this; tests and unusual runtimes can pass their own. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

/**
 * Bounded retries with exponential backoff and full jitter. After failed attempt `n` (1-based) of a request that
 * met 429, 503 or a network error, the client waits the server's `Retry-After` when it sent one (at most
 * `maxRetryAfterMs`), else a random time in [0, min(maxDelayMs, baseDelayMs · 2^(n−1))].
 */
export interface RetryOptions {
  /** Attempts of one request, the first included. Default 5. */
  maxAttempts?: number;
  /** Default 200 ms. */
  baseDelayMs?: number;
  /** Default 30 s. */
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured, so a misconfigured proxy cannot park the client for hours. Default 300 s. */
  maxRetryAfterMs?: number;
}

export interface ClientOptions {
  /** Where the server listens, e.g. `https://reco.example.com` (a path prefix is kept). */
  baseUrl: string;
  /** A tracking key (public: what a browser holds) or a server key (private: everything, catalog included). */
  key: string;
  /** Most events in one request. Default 500; the server takes at most 10,000. */
  batchSize?: number;
  /** Most NDJSON bytes in one request. Default 1 MiB; an event larger than this is sent alone. */
  maxBatchBytes?: number;
  /** Longest an event waits in the queue before its batch is sent. Default 1,000 ms. */
  flushIntervalMs?: number;
  /** Events that may wait to be sent; `track()` drops (and reports) events beyond it. Default 10,000. */
  maxQueueSize?: number;
  /** Longest wait for one answer; a request still unanswered counts as a network error. Default 30 s. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /**
   * Called with each failure of a batch sent in the background, as it happens (the next `flush()` or `close()`
   * throws the same failures in a `DeliveryError`). Must not throw.
   */
  onError?: (failure: DeliveryFailure) => void;
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Source of the retry jitter, in [0, 1). Default `Math.random`. */
  random?: () => number;
  /**
   * Where to watch for the page being hidden, to send what is queued with `fetch(…, { keepalive: true })` or
   * `navigator.sendBeacon`. Default: the page's `document`, `window` and `navigator` in a browser, nothing
   * elsewhere; `false` turns it off.
   */
  pageHide?: PageEnvironment | false;
}

export interface ResolvedOptions {
  baseUrl: string;
  key: string;
  batchSize: number;
  maxBatchBytes: number;
  flushIntervalMs: number;
  maxQueueSize: number;
  timeoutMs: number;
  retry: Required<RetryOptions>;
  onError: ((failure: DeliveryFailure) => void) | undefined;
  fetch: FetchLike;
  random: () => number;
}

/** The server refuses a request with more lines than its maxBatchEvents (10,000 by default). */
const MAX_BATCH_SIZE = 10_000;

function positive(option: string, value: number | undefined, fallback: number, integer = true): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new ConfigError(option, `must be a positive ${integer ? "integer" : "number"}, got ${value}`);
  return value;
}

function nonNegative(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new ConfigError(option, `must be a number ≥ 0, got ${value}`);
  return value;
}

function baseUrlOf(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError("baseUrl", `must be an absolute http or https URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ConfigError("baseUrl", `must be an http or https URL, got ${JSON.stringify(value)}`);
  if (url.search !== "" || url.hash !== "")
    throw new ConfigError("baseUrl", "must not carry a query or fragment");
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** Checks the options and fills in the defaults; a ConfigError names the first option that cannot be used. */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  if (typeof options.key !== "string" || options.key === "")
    throw new ConfigError("key", "is required: a tracking or server key");
  if (/[\r\n]/.test(options.key)) throw new ConfigError("key", "must not contain line breaks");
  const batchSize = positive("batchSize", options.batchSize, 500);
  if (batchSize > MAX_BATCH_SIZE)
    throw new ConfigError("batchSize", `must be at most ${MAX_BATCH_SIZE}, the server's batch limit`);
  const retry = options.retry ?? {};
  const baseDelayMs = nonNegative("retry.baseDelayMs", retry.baseDelayMs, 200);
  const maxDelayMs = nonNegative("retry.maxDelayMs", retry.maxDelayMs, 30_000);
  if (maxDelayMs < baseDelayMs)
    throw new ConfigError("retry.maxDelayMs", "must not be below retry.baseDelayMs");
  const fetchImpl = options.fetch ?? (globalThis.fetch as FetchLike | undefined);
  if (fetchImpl === undefined)
    throw new ConfigError("fetch", "this runtime has no global fetch; pass one in the options");
  return {
    baseUrl: baseUrlOf(options.baseUrl),
    key: options.key,
    batchSize,
    maxBatchBytes: positive("maxBatchBytes", options.maxBatchBytes, 1 << 20),
    flushIntervalMs: positive("flushIntervalMs", options.flushIntervalMs, 1_000, false),
    maxQueueSize: positive("maxQueueSize", options.maxQueueSize, 10_000),
    timeoutMs: positive("timeoutMs", options.timeoutMs, 30_000, false),
    retry: {
      maxAttempts: positive("retry.maxAttempts", retry.maxAttempts, 5),
      baseDelayMs,
      maxDelayMs,
      maxRetryAfterMs: nonNegative("retry.maxRetryAfterMs", retry.maxRetryAfterMs, 300_000),
    },
    onError: options.onError,
    // Called unbound: some runtimes' fetch throws "Illegal invocation" when called as a method of another object.
    fetch: (url, init) => fetchImpl(url, init),
    random: options.random ?? Math.random,
  };
}
