// Shared by the unit tests (not a test itself): a fetch that records every request and answers from a script.
import type { FetchInit, FetchLike, FetchResponse } from "../options.js";

export interface RecordedRequest {
  url: string;
  init: FetchInit;
  /** The NDJSON body's lines, parsed; the JSON body as one element for a JSON request. */
  lines: Record<string, unknown>[];
}

/** An answer: a status with a JSON body, or an Error to reject with (a network failure). */
export type Scripted =
  | { status: number; body?: unknown; text?: string; headers?: Record<string, string> }
  | Error
  /** Never settles until the request's signal aborts, like a server that does not answer. */
  | "hang";

export interface FakeFetch {
  fetch: FetchLike;
  requests: RecordedRequest[];
  /** Answers for the next requests, in order; once used up, every request gets `fallback`. */
  script: Scripted[];
}

/** By default every batch is accepted whole, as the server answers. */
export function fakeFetch(
  fallback: (request: RecordedRequest) => Scripted = (request) => ({
    status: 200,
    body: { accepted: request.lines.length, rejected: [] },
  }),
): FakeFetch {
  const fake: FakeFetch = {
    requests: [],
    script: [],
    fetch: async (url, init) => {
      const request: RecordedRequest = {
        url,
        init,
        lines: init.body
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      };
      fake.requests.push(request);
      const answer = fake.script.shift() ?? fallback(request);
      if (answer === "hang")
        return new Promise<FetchResponse>((_resolve, reject) => {
          init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
        });
      if (answer instanceof Error) throw answer;
      const headers = new Map(Object.entries(answer.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const text = answer.text ?? (answer.body === undefined ? "" : JSON.stringify(answer.body));
      return {
        status: answer.status,
        headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null },
        text: async () => text,
      };
    },
  };
  return fake;
}
