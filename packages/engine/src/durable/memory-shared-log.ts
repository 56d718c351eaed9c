import type { SharedLog, SharedLogBatch, SharedLogEntry } from "./shared-log.js";

/**
 * A shared log held in memory: several replicas in one process can share it. For tests of replica behaviour
 * without a Kafka cluster, and for trying replicas out; nothing survives the process.
 */
export class MemorySharedLog implements SharedLog {
  private readonly records: SharedLogEntry[] = [];
  private readonly wakers = new Set<() => void>();

  constructor(
    readonly name = "memory:log",
    /** How long a reader at the end waits for a new record before yielding an empty batch. */
    private readonly waitMs = 20,
    private readonly maxBatch = 1_000,
  ) {}

  async append(entries: readonly SharedLogEntry[]): Promise<number[]> {
    const first = this.records.length;
    for (const { payload, answer } of entries) {
      this.records.push(
        answer === undefined
          ? { payload: Uint8Array.from(payload) }
          : { payload: Uint8Array.from(payload), answer: Uint8Array.from(answer) },
      );
    }
    for (const wake of this.wakers) wake();
    return entries.map((_, index) => first + index);
  }

  async end(): Promise<number> {
    return this.records.length;
  }

  async *read(from: number, signal: AbortSignal): AsyncIterable<SharedLogBatch> {
    let next = from;
    while (!signal.aborted) {
      if (next >= this.records.length) await this.wait(signal);
      const upTo = Math.min(this.records.length, next + this.maxBatch);
      const records = [];
      for (let offset = next; offset < upTo; offset++) records.push({ offset, ...this.records[offset]! });
      next = Math.max(next, upTo);
      yield { records, next, end: this.records.length };
    }
  }

  /** Holds no connection: the records stay for the other replicas sharing this log. */
  async close(): Promise<void> {}

  private wait(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, this.waitMs);
      this.wakers.add(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }
}
