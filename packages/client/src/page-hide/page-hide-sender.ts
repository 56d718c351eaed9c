import { type DeliveryFailure, NetworkError } from "../errors.js";
import { bodyBytes, chunkByBytes, ndjsonOf, type QueuedEvent } from "../batching/event-queue.js";
import type { ResolvedOptions } from "../options.js";
import { ingestOutcome } from "../transport/answers.js";
import { readAnswer } from "../transport/http-transport.js";
import type { PageEnvironment } from "./page-environment.js";

/**
 * Browsers cap the bodies of keepalive requests in flight at 64 KiB in total, and queue at most about as much
 * for sendBeacon; a larger body is refused outright.
 */
export const KEEPALIVE_LIMIT = 65_536;

/**
 * Sends what is queued when the page goes away, where an ordinary request would be cancelled: bodies of at most
 * 64 KiB, by `fetch(…, { keepalive: true })` while the keepalive budget lasts (its answer is still read, so
 * rejected lines reach `onError`), then by `navigator.sendBeacon`. Neither can set headers that avoid a CORS
 * preflight, so the key travels as `?key=` and the body as text/plain NDJSON — which the server accepts for
 * tracking keys, the only keys a page should hold.
 */
export class PageHideSender {
  #keepaliveBytes = 0;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly page: PageEnvironment,
    private readonly report: (failure: DeliveryFailure) => void,
    /** Takes back events not handed over or unanswered; `failure` says why, for a client that is closing. */
    private readonly requeue: (entries: QueuedEvent[], failure: NetworkError) => void,
  ) {}

  /**
   * Hands `entries` to the browser in order; from the first body it cannot take (no budget left), the rest goes
   * back in the queue in order, with any event too large for a body of its own.
   */
  send(entries: QueuedEvent[]): void {
    const { chunks } = chunkByBytes(entries, KEEPALIVE_LIMIT);
    const handed = new Set<QueuedEvent>();
    for (const chunk of chunks) {
      if (!this.#sendChunk(chunk)) break;
      for (const entry of chunk) handed.add(entry);
    }
    const left = entries.filter((entry) => !handed.has(entry));
    if (left.length > 0)
      this.requeue(
        left,
        new NetworkError(this.#url(), "the browser took no more bodies when the page was hidden"),
      );
  }

  #url(): string {
    return `${this.options.baseUrl}/v1/events?key=${encodeURIComponent(this.options.key)}`;
  }

  #sendChunk(chunk: QueuedEvent[]): boolean {
    const url = this.#url();
    const body = ndjsonOf(chunk);
    const bytes = bodyBytes(chunk);
    if (this.#keepaliveBytes + bytes <= KEEPALIVE_LIMIT) {
      this.#keepaliveBytes += bytes;
      this.options
        .fetch(url, { method: "POST", keepalive: true, headers: { "content-type": "text/plain" }, body })
        .then(readAnswer)
        .then(
          (answer) => {
            const failure = ingestOutcome(
              answer,
              chunk.map((entry) => entry.event),
            );
            if (failure) this.report(failure);
          },
          // No answer: the page may stay (a switched tab), so the events wait for the next send; their
          // event_ids make a second delivery harmless if this one did arrive.
          (error: unknown) =>
            this.requeue(
              chunk,
              new NetworkError(url, error instanceof Error ? error.message : String(error), { cause: error }),
            ),
        )
        .finally(() => {
          this.#keepaliveBytes -= bytes;
        });
      return true;
    }
    return this.page.navigator?.sendBeacon?.(url, body) === true;
  }
}
