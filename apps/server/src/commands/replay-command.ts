import { openEngine, saveSnapshot } from "@sibyl/engine";
import { Command, Option } from "commander";
import { dataDirOption, printJson } from "./data-dir.js";

/** `sibyl replay --until <moment> [--out file]`: the state as it was at a past moment. */
export function replayCommand(): Command {
  return new Command("replay")
    .description(
      "rebuild the state as of a past moment (read-only) and summarise it, or save it as a snapshot",
    )
    .addOption(dataDirOption())
    .addOption(
      new Option(
        "--until <moment>",
        "an ISO 8601 time (events up to it) or a log position segment:offset (records before it)",
      ).makeOptionMandatory(),
    )
    .addOption(new Option("--out <file>", "write the rebuilt state to this snapshot file"))
    .action(async (options: { dataDir: string; until: string; out?: string }) => {
      const engine = await openEngine({ dataDir: options.dataDir, until: options.until });
      const stats = engine.stats();
      const summary: Record<string, unknown> = {
        until: options.until,
        snapshot: engine.recovery.snapshot,
        replayed: engine.recovery.replayed,
        events: stats.totalEvents,
        items: stats.items,
        visitors: stats.visitors,
        latestEventTime: stats.now > 0 ? new Date(stats.now).toISOString() : null,
        stateHash: engine.stateHash(),
      };
      if (options.out) summary.out = { path: options.out, bytes: saveSnapshotOf(engine, options.out) };
      printJson(summary);
      await engine.close();
    });
}

function saveSnapshotOf(engine: Awaited<ReturnType<typeof openEngine>>, path: string): number {
  return saveSnapshot(engine, path).bytes;
}
