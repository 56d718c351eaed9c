/**
 * A replica in its own process, for the crash test: it opens a replica on a data directory and a Kafka
 * partition, ingests batches of events through it, and prints one line per acknowledged batch
 * ("acked <first event index> <count>") and per snapshot ("snapshot <path>") until it is killed.
 * Arguments: dataDir brokers topic.
 */
import { openEngine } from "@sibyl/engine";
import { KafkaLog } from "../kafka-log.js";
import { shopEvents } from "./sample-events.js";

const [dataDir, brokers, topic] = process.argv.slice(2);
if (!dataDir || !brokers || !topic) throw new Error("usage: ingest-child <dataDir> <brokers> <topic>");

const engine = await openEngine({
  dataDir,
  log: new KafkaLog({ brokers: brokers.split(","), topic }),
  snapshotEvery: 400,
  snapshotIntervalMs: 0,
  onSnapshot: (info) => process.stdout.write(`snapshot ${info.path}\n`),
});
const events = shopEvents(100_000, 7, "child");
for (let index = 0; index < events.length; index += 50) {
  await engine.append(events.slice(index, index + 50));
  process.stdout.write(`acked ${index} 50\n`);
}
