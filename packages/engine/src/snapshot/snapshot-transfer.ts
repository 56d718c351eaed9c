import { closeSync, copyFileSync, fsyncSync, openSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { createEngine, type Engine, engineInternals } from "../engine.js";
import { type SnapshotMeta, describeSnapshotPosition, snapshotPosition } from "../durable/snapshot-meta.js";
import { readSnapshotFile, readSnapshotMeta, syncDirectory, writeSnapshotFile } from "./snapshot-file.js";
import { SnapshotStore } from "./snapshot-store.js";
import { SibylEngineError } from "../errors/engine-errors.js";

/** A snapshot file that was checked end to end, and what it holds. */
export interface VerifiedSnapshot {
  path: string;
  bytes: number;
  meta: SnapshotMeta;
  /** Where its state ends: "3:4096" on a file log, "kafka:sibyl-events/0@1234" on a shared log. */
  position: string;
  /** stateHash() of the state it holds. */
  stateHash: string;
}

/** No snapshot to export, or a snapshot file that is not one a data directory can start from. */
export class SnapshotTransferError extends SibylEngineError {
  constructor(
    code: "no_snapshot" | "not_a_data_directory_snapshot" | "not_a_shared_log_snapshot",
    readonly path: string,
    message: string,
  ) {
    super(code, `${path}: ${message}`);
  }
}

/**
 * Reads a snapshot file completely into an engine built with the options it records, so every chunk's checksum
 * and the state's structure are verified. Throws SnapshotCorruptError for a damaged file.
 */
export function verifySnapshot(path: string): VerifiedSnapshot {
  return loadVerified(path).verified;
}

function loadVerified(path: string): { verified: VerifiedSnapshot; engine: Engine } {
  const recorded = readSnapshotMeta<SnapshotMeta>(path);
  if (recorded.options === undefined || !("lastApplied" in recorded)) {
    throw new SnapshotTransferError(
      "not_a_data_directory_snapshot",
      path,
      "holds no log position (a snapshot saved with saveSnapshot or `replay --out` cannot start a data directory)",
    );
  }
  const engine = createEngine(recorded.options);
  const meta = readSnapshotFile<SnapshotMeta>(path, (input) =>
    engineInternals(engine).state.readState(input),
  );
  const verified = {
    path,
    bytes: statSync(path).size,
    meta,
    position: describeSnapshotPosition(meta),
    stateHash: engine.stateHash(),
  };
  return { verified, engine };
}

/**
 * Copies the newest snapshot of a data directory that verifies to `file` (atomically), for starting another
 * replica or machine from it. Safe while the server runs: snapshots are only ever renamed into place whole.
 */
export function exportSnapshot(dataDir: string, file: string): VerifiedSnapshot {
  const store = new SnapshotStore(join(dataDir, "snapshots"));
  const failures: string[] = [];
  for (const entry of store.list().reverse()) {
    try {
      const verified = verifySnapshot(entry.path);
      copyDurably(entry.path, file);
      return { ...verified, path: file };
    } catch (error) {
      failures.push(`${entry.path}: ${(error as Error).message}`);
    }
  }
  throw new SnapshotTransferError(
    "no_snapshot",
    store.dir,
    failures.length === 0 ? "holds no snapshot" : `no snapshot verifies (${failures.join("; ")})`,
  );
}

/**
 * Verifies a snapshot file and places it in a data directory's snapshots, named by the position it covers, so
 * the next start of that directory begins from it (unless the directory already holds a newer one of the same
 * log). The directory must not be in use by a running server.
 *
 * `asLog` relabels a shared log's snapshot for another shared log that holds the same records at the same
 * offsets — a Kafka topic rewritten to erase people — so replicas moved to it need not read it from offset 0.
 */
export function importSnapshot(
  dataDir: string,
  file: string,
  options: { asLog?: string } = {},
): VerifiedSnapshot {
  const { verified, engine } = loadVerified(file);
  const store = new SnapshotStore(join(dataDir, "snapshots"));
  store.ensure();
  const target = store.pathFor(snapshotPosition(verified.meta));
  if (options.asLog === undefined) {
    copyDurably(file, target);
    return { ...verified, path: target };
  }
  if (verified.meta.log === undefined) {
    throw new SnapshotTransferError(
      "not_a_shared_log_snapshot",
      file,
      "was built from a data directory's file log, whose positions mean nothing in a shared log",
    );
  }
  const meta: SnapshotMeta = { ...verified.meta, log: options.asLog };
  const bytes = writeSnapshotFile(target, meta, (out) => engineInternals(engine).state.writeState(out));
  return { ...verified, path: target, bytes, meta, position: describeSnapshotPosition(meta) };
}

function copyDurably(from: string, to: string): void {
  const temporary = `${to}.tmp`;
  try {
    copyFileSync(from, temporary);
    const fd = openSync(temporary, "r+");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, to);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  syncDirectory(to);
}
