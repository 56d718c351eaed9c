import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine, openEngine } from "@sibyl/engine";
import type { SibylEvent } from "@sibyl/events";
import { createEventLogTopic, deleteTopic, KafkaLog } from "@sibyl/kafka";
import { figure } from "../report/report.js";
import { syntheticStream } from "../stream/synthetic-stream.js";
import type { Suite } from "../suite.js";

const BATCH = 1_000;

/**
 * Replicas on a Kafka partition, beside the file log in the same run: ingest through a replica (produce with
 * acks=all, then applied as read back) against the file log's durable append; and a new replica catching up
 * from offset 0 against applyBatch of the same events in memory. Needs SIBYL_KAFKA_BROKERS.
 */
export const kafkaSuite: Suite = {
  name: "kafka",
  title: "Replicas on a Kafka partition (vs the file log and applyBatch, same run)",
  async run({ quick }) {
    const brokers = (process.env.SIBYL_KAFKA_BROKERS ?? "").split(",").filter(Boolean);
    if (brokers.length === 0) {
      console.log(
        "kafka: SKIPPED — set SIBYL_KAFKA_BROKERS (scripts/ci/kafka.sh start prints it) to run this suite",
      );
      return [];
    }
    const count = quick ? 20_000 : 200_000;
    const events = [...syntheticStream({ events: count, items: 100_000, visitors: 100_000, seed: 5 })];
    const topic = `sibyl-bench-${Date.now().toString(36)}`;
    await createEventLogTopic({ brokers, topic });
    const scratch: string[] = [];
    const dataDir = () => {
      const dir = mkdtempSync(join(tmpdir(), "sibyl-bench-kafka-"));
      scratch.push(dir);
      return dir;
    };
    try {
      const fileRate = await ingest(
        events,
        await openEngine({ dataDir: dataDir(), durability: "always", ...noSnapshots }),
      );
      const writer = await openEngine({
        dataDir: dataDir(),
        log: new KafkaLog({ brokers, topic }),
        ...noSnapshots,
      });
      const kafkaRate = await ingest(events, writer);
      const writerHash = writer.stateHash();

      const inMemory = createEngine();
      const applyStart = performance.now();
      for (let offset = 0; offset < count; offset += 10_000)
        inMemory.applyBatch(events.slice(offset, offset + 10_000));
      const applyRate = count / ((performance.now() - applyStart) / 1000);

      const catchUpStart = performance.now();
      const reader = await openEngine({
        dataDir: dataDir(),
        log: new KafkaLog({ brokers, topic }),
        ...noSnapshots,
      });
      await reader.catchUp();
      const catchUpRate = count / ((performance.now() - catchUpStart) / 1000);
      const readerHash = reader.stateHash();
      await reader.close();
      if (readerHash !== writerHash)
        throw new Error("a replica that caught up differs from the replica that wrote");
      return [
        figure(
          `kafka ingest, batches of ${BATCH} (acks=all, applied when read back)`,
          kafkaRate,
          "events/s",
          "file log always",
          fileRate,
        ),
        figure("replica catch-up from offset 0", catchUpRate, "events/s", "applyBatch", applyRate),
      ];
    } finally {
      await deleteTopic({ brokers, topic });
      for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
    }
  },
};

const noSnapshots = { snapshotEvery: 0, snapshotIntervalMs: 0 };

async function ingest(
  events: readonly SibylEvent[],
  engine: { append(events: readonly SibylEvent[]): Promise<unknown>; close(): Promise<void> },
): Promise<number> {
  const start = performance.now();
  for (let offset = 0; offset < events.length; offset += BATCH)
    await engine.append(events.slice(offset, offset + BATCH));
  const rate = events.length / ((performance.now() - start) / 1000);
  await engine.close();
  return rate;
}
