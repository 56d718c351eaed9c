import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openEngine, type ReplicaEngine } from "@sibyl/engine";
import { KafkaLog } from "../kafka-log.js";
import { BROKERS } from "./kafka-broker.js";

/** Replicas opened by a test file, closed and removed by `closeAll`. */
export class ReplicaSet {
  private readonly engines: ReplicaEngine[] = [];
  private readonly dirs: string[] = [];

  dataDir(): string {
    const dir = mkdtempSync(join(tmpdir(), "sibyl-replica-"));
    this.dirs.push(dir);
    return dir;
  }

  async open(
    topic: string,
    dataDir = this.dataDir(),
    options: { snapshotEvery?: number; brokers?: string[] } = {},
  ): Promise<ReplicaEngine> {
    const { brokers = BROKERS, ...engineOptions } = options;
    const engine = await openEngine({
      dataDir,
      log: new KafkaLog({ brokers, topic }),
      snapshotIntervalMs: 0,
      ...engineOptions,
    });
    this.engines.push(engine);
    return engine;
  }

  async closeAll(): Promise<void> {
    for (const engine of this.engines.splice(0)) await engine.close();
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
