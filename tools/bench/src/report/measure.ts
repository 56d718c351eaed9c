import { performance } from "node:perf_hooks";

export interface Rate {
  /** Operations per second of the fastest run. */
  perSecond: number;
  /** Seconds of each run. */
  runs: number[];
}

/**
 * Runs `work` (which performs `count` operations) `runs` times after one warm-up run and reports the fastest:
 * on a shared, noisy machine the fastest run is the one least disturbed by others.
 */
export function measureRate(count: number, work: () => void, runs = 5): Rate {
  work();
  const seconds: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    work();
    seconds.push((performance.now() - start) / 1000);
  }
  return { perSecond: count / Math.min(...seconds), runs: seconds };
}

/** The parse-only baseline of `targets.md`: `JSON.parse` of every line, in this process, on these bytes. */
export function measureParseOnly(lines: readonly string[], runs = 5): Rate {
  let sink = 0;
  const rate = measureRate(
    lines.length,
    () => {
      for (const line of lines) sink += (JSON.parse(line) as object) === null ? 1 : 0;
    },
    runs,
  );
  if (sink !== 0) throw new Error("unreachable: JSON.parse returned null for an event line");
  return rate;
}

/** Percentile (0–100) of a list of numbers, by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
