import type { RecoRequest, RecoResponse, SibylEvent } from "@sibyl/events";
import { EventQueue, encodeEvent, ndjsonOf, type QueuedEvent } from "./batching/event-queue.js";
import {
  ClientClosedError,
  type DeliveryFailure,
  DeliveryError,
  type NetworkError,
  QueueFullError,
  RetriesExhaustedError,
} from "./errors.js";
import { newEventId } from "./event-id.js";
import { type ClientOptions, type ResolvedOptions, resolveOptions } from "./options.js";
import { detectPage, watchPageHide } from "./page-hide/page-environment.js";
import { PageHideSender } from "./page-hide/page-hide-sender.js";
import { ingestOutcome, recoResponseOf } from "./transport/answers.js";
import { HttpTransport } from "./transport/http-transport.js";

/** A recommendation request without what `recommend()` fills in: the envelope's type and the placement. */
export type RecommendRequest = Omit<RecoRequest, "event_type" | "placement">;

/** Failures kept between two flushes; beyond it they are counted, so a long outage cannot grow memory. */
const KEPT_FAILURES = 100;

/**
 * Sibyl's client: `track()` queues events and sends them in NDJSON batches — when a batch is full, after
 * `flushIntervalMs`, on `flush()` and `close()`, and in a browser when the page is hidden — retrying 429, 503
 * and network errors; `recommend()` asks a placement for recommendations.
 */
export class SibylClient {
  readonly #options: ResolvedOptions;
  readonly #transport: HttpTransport;
  readonly #queue: EventQueue;
  /** Batches go out one after another, so the server applies events in the order they were tracked. */
  #sending: Promise<void> = Promise.resolve();
  #drainQueued = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #failures: DeliveryFailure[] = [];
  #omitted = 0;
  #closing: Promise<void> | undefined;
  readonly #detachPage: (() => void) | undefined;

  constructor(options: ClientOptions) {
    this.#options = resolveOptions(options);
    this.#transport = new HttpTransport(this.#options);
    this.#queue = new EventQueue(this.#options.maxQueueSize);
    const page = options.pageHide === false ? undefined : (options.pageHide ?? detectPage());
    if (page) {
      const sender = new PageHideSender(
        this.#options,
        page,
        (failure) => this.#fail(failure),
        (entries, failure) => this.#takeBack(entries, failure),
      );
      this.#detachPage = watchPageHide(page, () => {
        const entries = this.#queue.takeAll();
        this.#disarm();
        if (entries.length > 0) sender.send(entries);
      });
    }
  }

  /** Events tracked and not yet handed to a request. */
  get pending(): number {
    return this.#queue.length;
  }

  /**
   * Queues an event to be sent, with an `event_id` when it has none, so a retry is applied once. Returns false
   * when the queue is full: the event is dropped and a QueueFullError goes to `onError` and the next `flush()`.
   */
  track(event: SibylEvent): boolean {
    if (this.#closing) throw new ClientClosedError("track");
    const entry = encodeEvent(event.event_id === undefined ? { ...event, event_id: newEventId() } : event);
    if (!this.#queue.push(entry)) {
      this.#fail(new QueueFullError(this.#queue.capacity, entry.event));
      return false;
    }
    if (this.#queue.length >= this.#options.batchSize) this.#drainInBackground();
    else this.#arm();
    return true;
  }

  /**
   * Sends every event tracked so far and waits for the answers. Throws a DeliveryError listing every failure
   * since the previous `flush()` — background sends' included — with the events that were not accepted.
   */
  async flush(): Promise<void> {
    if (this.#closing) throw new ClientClosedError("flush");
    await this.#drain();
    this.#throwFailures();
  }

  /** Sends what is queued, stops the timer and the page watch, and throws as `flush()` does. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#detachPage?.();
      await this.#drain();
      this.#disarm();
      this.#throwFailures();
    })();
    return this.#closing;
  }

  /**
   * Asks `placement` for recommendations, retrying 429, 503 and network errors; the request carries an
   * `event_id`, so the server logs it once however often it is sent. Throws an ApiError for a refused request
   * (400 with pointers to the fields at fault, 404 for an unknown placement), RetriesExhaustedError when every
   * attempt failed.
   */
  async recommend(placement: string, request: RecommendRequest): Promise<RecoResponse> {
    if (this.#closing) throw new ClientClosedError("recommend");
    const body = JSON.stringify({ ...request, placement, event_id: request.event_id ?? newEventId() });
    return recoResponseOf(await this.#transport.post("/v1/recommend", body, "application/json"));
  }

  /** Events the page-hide send could not deliver wait for the next batch — unless the client is closing. */
  #takeBack(entries: QueuedEvent[], failure: NetworkError): void {
    if (this.#closing) {
      const events = entries.map((entry) => entry.event);
      this.#fail(new RetriesExhaustedError(1, undefined, events, failure));
      return;
    }
    this.#queue.unshift(entries);
    this.#arm();
  }

  #fail(failure: DeliveryFailure): void {
    if (this.#failures.length < KEPT_FAILURES) this.#failures.push(failure);
    else this.#omitted++;
    this.#options.onError?.(failure);
  }

  #throwFailures(): void {
    if (this.#failures.length === 0) return;
    const error = new DeliveryError(this.#failures, this.#omitted);
    this.#failures = [];
    this.#omitted = 0;
    throw error;
  }

  #arm(): void {
    if (this.#timer !== undefined || this.#queue.length === 0 || this.#closing) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#drainInBackground();
    }, this.#options.flushIntervalMs);
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Delivery failures reach `onError` and the next flush, as no caller awaits this send; an unexpected error (a
   * throwing `onError`, say) surfaces as an unhandled rejection rather than vanishing.
   */
  #drainInBackground(): void {
    if (!this.#drainQueued) void this.#drain();
  }

  /** Sends, after the batches already on their way, everything queued when the turn comes. */
  #drain(): Promise<void> {
    this.#drainQueued = true;
    const run = this.#sending.then(async () => {
      this.#drainQueued = false;
      this.#disarm();
      while (this.#queue.length > 0) {
        await this.#sendBatch(this.#queue.takeBatch(this.#options.batchSize, this.#options.maxBatchBytes));
      }
      this.#arm();
    });
    // The next drain waits for this one however it ends; an unexpected error still rejects `run` for its caller.
    this.#sending = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #sendBatch(batch: QueuedEvent[]): Promise<void> {
    const events = batch.map((entry) => entry.event);
    try {
      const answer = await this.#transport.post(
        "/v1/events",
        ndjsonOf(batch),
        "application/x-ndjson",
        events,
      );
      const failure = ingestOutcome(answer, events);
      if (failure) this.#fail(failure);
    } catch (error) {
      if (!(error instanceof RetriesExhaustedError)) throw error;
      this.#fail(error);
    }
  }
}
