import { performance } from "node:perf_hooks";
import type { SibylEvent } from "@sibyl/events";
import { EvaluationInputError } from "../errors/evaluation-errors.js";
import { buildReport } from "../report/build-report.js";
import type { EvaluationReport } from "../report/report-types.js";
import { inTimeOrder } from "../sources/read-events.js";
import { checkPlacementsExist } from "./compared-set.js";
import { type EvaluationOptions, resolveEvaluationOptions } from "./evaluation-options.js";
import { runHoldout } from "./holdout.js";
import { runPrequential } from "./prequential.js";

/**
 * Backtests placements on recorded events and returns report.json's content. The events are replayed in time
 * order into a fresh engine (one per fold for holdout); the compared placements, what-ifs and both baselines
 * answer every request from the same state. Throws InvalidOptionError / InvalidTargetError before any replay
 * for wrong options, and EvaluationInputError when no request could be scored.
 */
export function evaluate(events: readonly SibylEvent[], options: EvaluationOptions): EvaluationReport {
  const resolved = resolveEvaluationOptions(options);
  checkPlacementsExist(events, resolved);
  const ordered = inTimeOrder(events);
  const started = performance.now();
  const run =
    resolved.protocol === "holdout" ? runHoldout(ordered, resolved) : runPrequential(ordered, resolved);
  const durationMs = performance.now() - started;
  if (run.scorer.requests === 0) {
    throw new EvaluationInputError(
      resolved.source,
      `no request was scored: ${ordered.length} events, targets ${resolved.targets.map((t) => t.text).join(", ")}` +
        `, skipped ${JSON.stringify(run.skipped)}`,
    );
  }
  return buildReport(ordered, resolved, run, resolved.timings ? durationMs : undefined);
}
