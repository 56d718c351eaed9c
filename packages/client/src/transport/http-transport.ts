import type { SibylEvent } from "@sibyl/events";
import { NetworkError, RetriesExhaustedError, type SibylError } from "../errors.js";
import type { FetchInit, FetchResponse, ResolvedOptions } from "../options.js";
import { apiErrorOf } from "./answers.js";
import { isRetryableStatus, parseRetryAfter, retryDelayMs } from "./backoff.js";

/** One HTTP answer, its body read. */
export interface Answer {
  status: number;
  /** The body as JSON, or undefined when it is not JSON. */
  json: unknown;
  text: string;
  retryAfterMs: number | undefined;
}

/** Reads a response's body; a body that is not JSON is kept as text for the error message. */
export async function readAnswer(response: FetchResponse): Promise<Answer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    json,
    text,
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), Date.now()),
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends requests to one server with one key, each bounded by the timeout, retried by the retry policy. */
export class HttpTransport {
  constructor(private readonly options: ResolvedOptions) {}

  url(path: string): string {
    return `${this.options.baseUrl}${path}`;
  }

  /** One attempt; a request without an HTTP answer (refused, reset, timed out) is a NetworkError. */
  async send(path: string, init: Omit<FetchInit, "signal">): Promise<Answer> {
    const url = this.url(path);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.options.timeoutMs);
    try {
      return await readAnswer(await this.options.fetch(url, { ...init, signal: abort.signal }));
    } catch (error) {
      const reason = abort.signal.aborted
        ? `no answer within ${this.options.timeoutMs} ms`
        : error instanceof Error
          ? error.message
          : String(error);
      throw new NetworkError(url, reason, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * POSTs `body` with the key in the Authorization header, sending it again after 429, 503 or a network error,
   * up to the policy's attempts. Retrying is safe: every event and request carries an event_id the server applies
   * once. Answers the first non-retryable answer; throws RetriesExhaustedError (carrying `events`) when every
   * attempt failed.
   */
  async post(
    path: string,
    body: string,
    contentType: string,
    events: readonly SibylEvent[] = [],
  ): Promise<Answer> {
    const { retry, random, key } = this.options;
    const init: Omit<FetchInit, "signal"> = {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": contentType },
      body,
    };
    for (let attempt = 1; ; attempt++) {
      let failure: SibylError;
      let retryAfterMs: number | undefined;
      let lastStatus: number | undefined;
      try {
        const answer = await this.send(path, init);
        if (!isRetryableStatus(answer.status)) return answer;
        failure = apiErrorOf(answer);
        retryAfterMs = answer.retryAfterMs;
        lastStatus = answer.status;
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        failure = error;
      }
      if (attempt >= retry.maxAttempts) throw new RetriesExhaustedError(attempt, lastStatus, events, failure);
      await sleep(retryDelayMs(attempt, retryAfterMs, retry, random));
    }
  }
}
