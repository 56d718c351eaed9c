import { EvictionQueue } from "./eviction-queue.js";
import type { StateReader } from "./state-reader.js";
import type { StateWriter } from "./state-writer.js";

/**
 * Remembers recent event ids so a retried event is applied once. Bounded by time (ids older than the window are
 * forgotten, measured in event time) and by count (the oldest go first).
 */
export class Dedupe {
  private readonly queue = new EvictionQueue<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxIds: number,
  ) {}

  /** True when the id was applied within the window before `timeMs`. */
  isDuplicate(eventId: string, timeMs: number): boolean {
    const previous = this.queue.map.get(eventId);
    return previous !== undefined && timeMs - previous <= this.windowMs;
  }

  /** Remembers an applied event's id. */
  remember(eventId: string, timeMs: number): void {
    this.queue.add(eventId, timeMs);
    for (let oldest = this.queue.oldest(); oldest; oldest = this.queue.oldest()) {
      if (this.queue.map.size <= this.maxIds && timeMs - oldest.value <= this.windowMs) break;
      this.queue.dropOldest();
    }
  }

  get size(): number {
    return this.queue.map.size;
  }

  /** The live ids in the order they will expire: exactly what decides future answers. */
  writeState(out: StateWriter): void {
    out.u32(this.queue.map.size);
    for (const [id, timeMs] of this.queue.map) {
      out.string(id);
      out.f64(timeMs);
    }
  }

  readState(input: StateReader): void {
    const entries: [string, number][] = [];
    const count = input.u32();
    for (let index = 0; index < count; index++) entries.push([input.string(), input.f64()]);
    this.queue.reset(entries);
  }
}
