import { exportSnapshot, importSnapshot, openEngine, type VerifiedSnapshot } from "@sibyl/engine";
import { Command, Option } from "commander";
import { dataDirOption, printJson } from "./data-dir.js";

/**
 * `sibyl snapshot`: recover a data directory and write a snapshot of it now; `snapshot export` / `import` move a
 * snapshot between data directories — to start a new replica of a Kafka partition without reading the partition
 * from offset 0, or to move a file-log server's state.
 */
export function snapshotCommand(): Command {
  const snapshot = new Command("snapshot")
    .description("recover the data directory and write a snapshot now (the server must not be running)")
    // Shared with `export` and `import`, which read it from here: `sibyl snapshot export f --data-dir d`.
    .addOption(dataDirOption())
    .action(async (options: { dataDir: string }) => {
      const engine = await openEngine({ dataDir: options.dataDir, snapshotEvery: 0, snapshotIntervalMs: 0 });
      const written = await engine.snapshot();
      printJson({
        recovery: { replayed: engine.recovery.replayed, fromSnapshot: engine.recovery.snapshot },
        snapshot: written,
      });
      await engine.close();
    });

  snapshot
    .command("export")
    .description(
      "copy the newest snapshot of the data directory that verifies to <file> (safe while the server runs)",
    )
    .argument("<file>", "where to write the snapshot")
    .action((file: string) => {
      printJson(summary(exportSnapshot(dataDirOf(snapshot), file)));
    });

  snapshot
    .command("import")
    .description(
      "verify <file> and place it in the data directory's snapshots, so the next start begins from it " +
        "(the server of that directory must not be running)",
    )
    .argument("<file>", "a snapshot written by `sibyl snapshot export`")
    .addOption(
      new Option(
        "--as-log <name>",
        "relabel a replica's snapshot for another shared log with the same offsets (kafka:<topic>/<partition>, after `sibyl kafka rewrite`)",
      ),
    )
    .action((file: string, options: { asLog?: string }) => {
      const asLog = options.asLog;
      printJson(summary(importSnapshot(dataDirOf(snapshot), file, asLog === undefined ? {} : { asLog })));
    });

  return snapshot;
}

function dataDirOf(snapshot: Command): string {
  return snapshot.opts<{ dataDir: string }>().dataDir;
}

function summary(snapshot: VerifiedSnapshot) {
  return {
    path: snapshot.path,
    bytes: snapshot.bytes,
    log: snapshot.meta.log ?? "file",
    position: snapshot.position,
    events: snapshot.meta.events,
    latestEventTime: snapshot.meta.eventTime > 0 ? new Date(snapshot.meta.eventTime).toISOString() : null,
    stateHash: snapshot.stateHash,
  };
}
