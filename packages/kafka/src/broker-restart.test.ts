import { afterAll, afterEach, describe, expect, it } from "vitest";
import { KafkaAppendError } from "./kafka-errors.js";
import {
  brokerIsScripted,
  HAS_BROKER,
  type OwnBroker,
  startOwnBroker,
  freshTopic,
} from "./test-support/kafka-broker.js";
import { eventsInTopic } from "./test-support/read-log.js";
import { ReplicaSet } from "./test-support/replicas.js";
import { shopEvents } from "./test-support/sample-events.js";

const replicas = new ReplicaSet();
let broker: OwnBroker | undefined;
afterEach(() => replicas.closeAll());
afterAll(async () => {
  await broker?.stop();
});

// The test restarts a broker of its own (so no other test sees it go), started with the script and jars
// that started the shared one.
const SCRIPTED = HAS_BROKER && brokerIsScripted();
if (HAS_BROKER && !SCRIPTED) {
  if (process.env.CI)
    throw new Error("CI: the broker restart test needs the broker scripts/ci/kafka.sh started");
  console.warn(
    "\n*** SKIPPING the broker restart test: the broker at SIBYL_KAFKA_BROKERS was not started by scripts/ci/kafka.sh ***\n",
  );
}

describe.skipIf(!SCRIPTED)("a broker restart (against a real broker)", () => {
  it("loses no acknowledged event, and replicas resume reading by themselves", async () => {
    broker = await startOwnBroker("restart-test");
    const { brokers } = broker;
    const topic = await freshTopic("restart", brokers);
    const writer = await replicas.open(topic, undefined, { brokers });
    const reader = await replicas.open(topic, undefined, { brokers });
    const events = shopEvents(200_000, 11);
    const acked: string[] = [];
    let refused = 0;
    let next = 0;
    let stop = false;
    const ingest = (async () => {
      while (!stop) {
        const batch = events.slice(next, next + 50);
        next += 50;
        try {
          await writer.append(batch);
          for (const event of batch) acked.push(event.event_id!);
        } catch (error) {
          if (!(error instanceof KafkaAppendError)) throw error;
          refused++;
        }
      }
    })();
    const ackedAtLeast = async (count: number) => {
      while (acked.length < count) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await ackedAtLeast(1_000);
    // SIGKILL: the broker gets no chance to flush; what it acknowledged must be in its page cache and log.
    await broker.restart(true);
    const afterRestart = acked.length;
    await ackedAtLeast(afterRestart + 1_000);
    stop = true;
    await ingest;

    const logged = new Set((await eventsInTopic(topic, brokers)).map((event) => event.event_id));
    expect(acked.filter((id) => !logged.has(id))).toEqual([]);
    await writer.catchUp();
    await reader.catchUp();
    expect(reader.replication()).toMatchObject({ error: null, lag: 0 });
    expect(reader.stateHash()).toBe(writer.stateHash());
    console.log(
      `broker restart: ${acked.length} events acknowledged, ${refused} batches refused while it was down`,
    );
  });
});
