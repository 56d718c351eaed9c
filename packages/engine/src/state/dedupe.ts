import type { StateReader } from "./state-reader.js";
import type { StateWriter } from "./state-writer.js";

/**
 * Remembers recent event ids so a retried event is applied once. Bounded by time (ids older than the window are
 * forgotten, measured in event time) and by count (the oldest go first).
 */
export class Dedupe {
  private readonly times = new Map<string, number>();
  /** Ids in the order they were remembered, with the time they were remembered at. */
  private readonly order: { id: string; timeMs: number }[] = [];
  private head = 0;

  constructor(
    private readonly windowMs: number,
    private readonly maxIds: number,
  ) {}

  /** True when the id was applied within the window before `timeMs`. */
  isDuplicate(eventId: string, timeMs: number): boolean {
    const previous = this.times.get(eventId);
    return previous !== undefined && timeMs - previous <= this.windowMs;
  }

  /** Remembers an applied event's id. */
  remember(eventId: string, timeMs: number): void {
    this.times.set(eventId, timeMs);
    this.order.push({ id: eventId, timeMs });
    this.expire(timeMs);
  }

  private expire(nowMs: number): void {
    while (this.head < this.order.length) {
      const oldest = this.order[this.head]!;
      const current = this.times.get(oldest.id);
      if (current === oldest.timeMs) {
        if (this.times.size <= this.maxIds && nowMs - oldest.timeMs <= this.windowMs) break;
        this.times.delete(oldest.id);
      }
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }

  get size(): number {
    return this.times.size;
  }

  /** The live ids in the order they will expire: exactly what decides future answers. */
  writeState(out: StateWriter): void {
    out.u32(this.times.size);
    for (let index = this.head; index < this.order.length; index++) {
      const { id, timeMs } = this.order[index]!;
      if (this.times.get(id) !== timeMs) continue;
      out.string(id);
      out.f64(timeMs);
    }
  }

  readState(input: StateReader): void {
    this.times.clear();
    this.order.length = 0;
    this.head = 0;
    const count = input.u32();
    for (let index = 0; index < count; index++) {
      const id = input.string();
      const timeMs = input.f64();
      this.times.set(id, timeMs);
      this.order.push({ id, timeMs });
    }
  }
}
