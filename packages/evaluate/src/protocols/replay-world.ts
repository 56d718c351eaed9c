import { createEngine, type Engine, type EngineOptions, SibylEngineError } from "@sibyl/engine";
import type { SibylEvent } from "@sibyl/events";
import { ItemCounts } from "../baselines/item-counts.js";
import { VisitorTracker } from "./visitor-tracker.js";

/** One replay: the engine the placements answer from, and what the baselines and protocols track beside it. */
export class ReplayWorld {
  readonly engine: Engine;
  readonly counts = new ItemCounts();
  readonly visitors = new VisitorTracker();
  /** Events the engine refused (a request for a placement that does not exist …): counted, and skipped. */
  refused = 0;
  applied = 0;
  nowMs = 0;

  constructor(options: EngineOptions) {
    this.engine = createEngine(options);
  }

  /** The time of an event, or of the previous one when it has none (it would have been stamped on arrival). */
  timeOf(event: SibylEvent): number {
    return event.event_time ?? this.nowMs;
  }

  apply(event: SibylEvent): void {
    const timeMs = this.timeOf(event);
    try {
      this.engine.apply(event);
    } catch (error) {
      // The server refuses such an event with a 4xx and goes on; a replay does the same, and reports the count.
      if (!(error instanceof SibylEngineError)) throw error;
      this.refused++;
      return;
    }
    this.nowMs = Math.max(this.nowMs, timeMs);
    this.counts.observe(event);
    this.visitors.observe(event, timeMs);
    this.applied++;
  }
}
