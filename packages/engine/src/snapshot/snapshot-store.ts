import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

/** Where in the log a snapshot's state ends: replay continues at this position. */
export interface SnapshotPosition {
  segment: number;
  offset: number;
}

export interface SnapshotEntry {
  path: string;
  position: SnapshotPosition;
}

const NAME = /^snapshot-(\d{12})-(\d{12})\.snap$/;

/** The snapshots of a data directory, named by the log position they cover so names sort in log order. */
export class SnapshotStore {
  constructor(readonly dir: string) {}

  ensure(): void {
    mkdirSync(this.dir, { recursive: true });
  }

  pathFor(position: SnapshotPosition): string {
    const pad = (value: number) => String(value).padStart(12, "0");
    return join(this.dir, `snapshot-${pad(position.segment)}-${pad(position.offset)}.snap`);
  }

  /** Every complete snapshot, oldest first (leftover temporary files are not listed). */
  list(): SnapshotEntry[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names
      .map((name) => ({ name, match: NAME.exec(name) }))
      .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
      .map(({ name, match }) => ({
        path: join(this.dir, name),
        position: { segment: Number(match[1]), offset: Number(match[2]) },
      }))
      .sort((a, b) => a.position.segment - b.position.segment || a.position.offset - b.position.offset);
  }

  /** Keeps the newest `keep` snapshots and removes leftover temporary files. */
  prune(keep: number): string[] {
    const removed = this.list()
      .slice(0, Math.max(0, this.list().length - keep))
      .map((entry) => entry.path);
    for (const path of removed) rmSync(path, { force: true });
    for (const name of this.leftovers()) rmSync(join(this.dir, name), { force: true });
    return removed;
  }

  /** Removes every snapshot but the one at `path` (after an erasure, older ones still hold the erased data). */
  removeAllBut(path: string): void {
    for (const entry of this.list()) if (entry.path !== path) rmSync(entry.path, { force: true });
  }

  private leftovers(): string[] {
    try {
      return readdirSync(this.dir).filter((name) => name.endsWith(".snap.tmp"));
    } catch {
      return [];
    }
  }
}
