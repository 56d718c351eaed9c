import type { ReplayWorld } from "./replay-world.js";
import type { Scorer } from "./scorer.js";

/** What a protocol hands the report: the scores, and what the replays went through. */
export interface ProtocolRun {
  scorer: Scorer;
  /** The replay the compared set answered from last (the only one, for prequential runs). */
  world: ReplayWorld;
  eventsReplayed: number;
  refused: number;
  skipped: Record<string, number>;
}
