import type { SibylEvent } from "@sibyl/events";
import { type SourceItem, SourceError } from "./import-source.js";

/** How a converting format orders its events: by `event_time` (bounded by memory), or as the file has them. */
export type EventOrder = "time" | "file";

/** More events to put in time order than the memory allowed for it. */
export class SortMemoryError extends SourceError {
  constructor(
    readonly limitBytes: number,
    readonly events: number,
  ) {
    const held = `${Math.round(limitBytes / 2 ** 20)} MiB`;
    const count = events.toLocaleString("en-US");
    super(
      `more than ${held} of events to put in time order (${count} events so far): ` +
        "sort the input by time and import it with --order file, or raise --sort-memory",
    );
  }
}

// Per buffered event beyond its JSON text: the string's header and slack, its array slots, time, line and sort
// index. Measured: a 200-character RateItem held costs about 300 bytes of heap.
const OVERHEAD_BYTES = 100;

/**
 * Buffers events to hand them out in time order. Each is kept as its JSON text (a compact form: about 300 bytes
 * held for a behaviour event) with its time and line, up to `maxBytes`; ties keep the order they were added in,
 * so the result is the same on every run.
 */
export class TimeOrder {
  private texts: string[] = [];
  private lines: number[] = [];
  private files: (string | undefined)[] = [];
  private times = new Float64Array(1024);
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get size(): number {
    return this.texts.length;
  }

  /** Adds an event that has an `event_time`; throws a SortMemoryError past the bound. */
  add(line: number, event: SibylEvent, file?: string): void {
    const time = event.event_time;
    if (time === undefined) throw new TypeError("only events with an event_time can be put in time order");
    const text = JSON.stringify(event);
    this.bytes += text.length + OVERHEAD_BYTES;
    if (this.bytes > this.maxBytes) throw new SortMemoryError(this.maxBytes, this.texts.length + 1);
    const index = this.texts.length;
    if (index === this.times.length) {
      const grown = new Float64Array(this.times.length * 2);
      grown.set(this.times);
      this.times = grown;
    }
    this.times[index] = time;
    this.texts.push(text);
    this.lines.push(line);
    this.files.push(file);
  }

  /** The events in time order, once; each is released as it is handed out. */
  *drain(): Generator<SourceItem, void, undefined> {
    const count = this.texts.length;
    const times = this.times;
    const order = new Uint32Array(count);
    for (let index = 0; index < count; index++) order[index] = index;
    order.sort((a, b) => times[a]! - times[b]! || a - b);
    const { texts, lines, files } = this;
    this.texts = [];
    this.lines = [];
    this.files = [];
    this.times = new Float64Array(1024);
    this.bytes = 0;
    for (const index of order) {
      const event = JSON.parse(texts[index]!) as SibylEvent;
      texts[index] = "";
      const file = files[index];
      yield file === undefined
        ? { kind: "event", line: lines[index]!, event }
        : { kind: "event", line: lines[index]!, event, file };
    }
  }
}

/**
 * The items of a converting format in the chosen order. In time order every event is held until the input ends
 * (rejected and skipped lines are passed on at once); in file order nothing is held.
 */
export async function* ordered(
  items: AsyncIterable<SourceItem>,
  order: EventOrder,
  maxBytes: number,
): AsyncGenerator<SourceItem, void, undefined> {
  if (order === "file") {
    yield* items;
    return;
  }
  const buffer = new TimeOrder(maxBytes);
  for await (const item of items) {
    if (item.kind === "event") buffer.add(item.line, item.event, item.file);
    else yield item;
  }
  yield* buffer.drain();
}
