import type { SibylEvent } from "@sibyl/events";

/** A tracked event, encoded once when tracked so later changes by the caller do not alter what is sent. */
export interface QueuedEvent {
  event: SibylEvent;
  /** The event as one NDJSON line, without its newline. */
  line: string;
  /** UTF-8 length of `line`. */
  bytes: number;
}

/** UTF-8 length of a string without encoding it (a lone surrogate counts as the 3 bytes of U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        index++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

export function encodeEvent(event: SibylEvent): QueuedEvent {
  const line = JSON.stringify(event);
  return { event, line, bytes: utf8Length(line) };
}

/** NDJSON body of a batch: one line per event, each ending with a newline. */
export function ndjsonOf(batch: readonly QueuedEvent[]): string {
  let body = "";
  for (const entry of batch) body += `${entry.line}\n`;
  return body;
}

/** Bytes of a batch's NDJSON body. */
export function bodyBytes(batch: readonly QueuedEvent[]): number {
  let bytes = 0;
  for (const entry of batch) bytes += entry.bytes + 1;
  return bytes;
}

/** A bounded first-in first-out queue of tracked events, cut into batches by count and by bytes. */
export class EventQueue {
  #entries: QueuedEvent[] = [];

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.#entries.length;
  }

  /** False, and nothing queued, when the queue is full. */
  push(entry: QueuedEvent): boolean {
    if (this.#entries.length >= this.capacity) return false;
    this.#entries.push(entry);
    return true;
  }

  /** Puts a batch that could not be sent back at the front, ahead of what was tracked since, in its order. */
  unshift(batch: readonly QueuedEvent[]): void {
    this.#entries.unshift(...batch);
  }

  /**
   * Takes the oldest events while the batch stays within `maxEvents` and `maxBytes` of NDJSON; one event larger
   * than `maxBytes` is taken alone, so nothing is stuck at the head of the queue.
   */
  takeBatch(maxEvents: number, maxBytes: number): QueuedEvent[] {
    let count = 0;
    let bytes = 0;
    for (const entry of this.#entries) {
      if (count === maxEvents) break;
      if (count > 0 && bytes + entry.bytes + 1 > maxBytes) break;
      bytes += entry.bytes + 1;
      count++;
    }
    return this.#entries.splice(0, count);
  }

  takeAll(): QueuedEvent[] {
    const all = this.#entries;
    this.#entries = [];
    return all;
  }
}

/**
 * Cuts events into bodies of at most `maxBytes` each, in order. Events that cannot fit any body on their own are
 * returned apart, for a channel without that limit.
 */
export function chunkByBytes(
  entries: readonly QueuedEvent[],
  maxBytes: number,
): { chunks: QueuedEvent[][]; oversized: QueuedEvent[] } {
  const chunks: QueuedEvent[][] = [];
  const oversized: QueuedEvent[] = [];
  let chunk: QueuedEvent[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (entry.bytes + 1 > maxBytes) {
      oversized.push(entry);
      continue;
    }
    if (bytes + entry.bytes + 1 > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(entry);
    bytes += entry.bytes + 1;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return { chunks, oversized };
}
