/** Latency quantiles of recommendation requests, in milliseconds. */
export interface LatencyQuantiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface RecommendActivity {
  requests_per_second: number;
  /** Over the window's requests (at most the latest {@link LATENCY_SAMPLES}); null when there were none. */
  latency_ms: LatencyQuantiles | null;
}

/** What the server did over the last minute: the rates the console's dashboard draws. */
export interface LiveStatsReport {
  uptime_seconds: number;
  /** Seconds the rates are averaged over: a minute, or the uptime when shorter. */
  window_seconds: number;
  /** Events accepted per second, by event type (types with none in the window are left out). */
  events_per_second: Record<string, number>;
  /** Lines rejected per second. */
  rejected_per_second: number;
  recommend: RecommendActivity & { by_placement: Record<string, RecommendActivity> };
}

/** The span the rates cover. */
export const WINDOW_SECONDS = 60;
/** Latencies kept for the quantiles: the latest ones, so memory stays bounded under any request rate. */
export const LATENCY_SAMPLES = 4096;

interface SecondBucket {
  second: number;
  events: Map<string, number>;
  rejected: number;
}

/**
 * Recent activity, kept in one bucket per wall-clock second for the last minute plus a ring of the latest
 * recommendation latencies. Prometheus counts since the process started (/metrics); the console wants "now",
 * without parsing the exposition format in a browser.
 */
export class LiveStats {
  private readonly startedAt: number;
  private readonly buckets: SecondBucket[] = [];
  private readonly latencyTimes = new Float64Array(LATENCY_SAMPLES);
  private readonly latencyMs = new Float64Array(LATENCY_SAMPLES);
  private readonly latencyPlacements: string[] = new Array(LATENCY_SAMPLES).fill("");
  private latencyCount = 0;

  constructor(private readonly clock: () => number = Date.now) {
    this.startedAt = clock();
  }

  /** Accepted events (by their type) and the number of rejected lines of one ingest request. */
  ingested(accepted: readonly { event_type: string }[], rejectedLines: number): void {
    const bucket = this.bucket();
    for (const { event_type } of accepted)
      bucket.events.set(event_type, (bucket.events.get(event_type) ?? 0) + 1);
    bucket.rejected += rejectedLines;
  }

  /** One answered recommendation request and how long it took. */
  recommended(placement: string, seconds: number): void {
    const slot = this.latencyCount % LATENCY_SAMPLES;
    this.latencyTimes[slot] = this.clock();
    this.latencyMs[slot] = seconds * 1000;
    this.latencyPlacements[slot] = placement;
    this.latencyCount++;
  }

  report(): LiveStatsReport {
    const now = this.clock();
    const since = now - WINDOW_SECONDS * 1000;
    const window = Math.max(Math.min(WINDOW_SECONDS, (now - this.startedAt) / 1000), 1);
    const perSecond = (count: number) => round(count / window);

    const events = new Map<string, number>();
    let rejected = 0;
    for (const bucket of this.buckets) {
      // The window is the last minute's whole seconds before the current one, plus the current one so far.
      if (bucket.second * 1000 <= since) continue;
      for (const [type, count] of bucket.events) events.set(type, (events.get(type) ?? 0) + count);
      rejected += bucket.rejected;
    }

    const all: number[] = [];
    const byPlacement = new Map<string, number[]>();
    const kept = Math.min(this.latencyCount, LATENCY_SAMPLES);
    for (let index = 0; index < kept; index++) {
      if (this.latencyTimes[index]! < since) continue;
      const ms = this.latencyMs[index]!;
      all.push(ms);
      const placement = this.latencyPlacements[index]!;
      const list = byPlacement.get(placement);
      if (list) list.push(ms);
      else byPlacement.set(placement, [ms]);
    }
    const activity = (latencies: number[]): RecommendActivity => ({
      requests_per_second: perSecond(latencies.length),
      latency_ms: quantiles(latencies),
    });

    return {
      uptime_seconds: round((now - this.startedAt) / 1000),
      window_seconds: round(window),
      events_per_second: Object.fromEntries(
        [...events].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, count]) => [type, perSecond(count)]),
      ),
      rejected_per_second: perSecond(rejected),
      recommend: {
        ...activity(all),
        by_placement: Object.fromEntries(
          [...byPlacement].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, list]) => [name, activity(list)]),
        ),
      },
    };
  }

  /** The bucket of the current second, recycling the oldest once a minute of them exists. */
  private bucket(): SecondBucket {
    const second = Math.floor(this.clock() / 1000);
    const last = this.buckets[this.buckets.length - 1];
    if (last?.second === second) return last;
    const recycled =
      this.buckets.length > WINDOW_SECONDS + 1
        ? this.buckets.shift()!
        : { second, events: new Map(), rejected: 0 };
    recycled.second = second;
    recycled.events.clear();
    recycled.rejected = 0;
    this.buckets.push(recycled);
    return recycled;
  }
}

/** Nearest-rank quantiles: every value reported is a latency that was measured. */
function quantiles(values: number[]): LatencyQuantiles | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(sorted[sorted.length - 1]!) };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
