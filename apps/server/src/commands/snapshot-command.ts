import { openEngine } from "@sibyl/engine";
import { Command } from "commander";
import { dataDirOption, printJson } from "./data-dir.js";

/** `sibyl snapshot`: recover a data directory and write a snapshot of it now. */
export function snapshotCommand(): Command {
  return new Command("snapshot")
    .description("recover the data directory and write a snapshot now (the server must not be running)")
    .addOption(dataDirOption())
    .action(async (options: { dataDir: string }) => {
      const engine = await openEngine({ dataDir: options.dataDir, snapshotEvery: 0, snapshotIntervalMs: 0 });
      const snapshot = await engine.snapshot();
      printJson({
        recovery: { replayed: engine.recovery.replayed, fromSnapshot: engine.recovery.snapshot },
        snapshot,
      });
      await engine.close();
    });
}
