import { Admin } from "@platformatic/kafka";
import { afterAll, describe, expect, it } from "vitest";
import { KafkaOffsetGoneError, KafkaTopicError } from "./kafka-errors.js";
import { KafkaLog } from "./kafka-log.js";
import { BROKERS, deleteTopics, freshTopic, HAS_BROKER } from "./test-support/kafka-broker.js";

const topics: string[] = [];
const logs: KafkaLog[] = [];
afterAll(async () => {
  for (const log of logs) await log.close();
  await deleteTopics(topics);
});

async function newLog(prefix: string, options: { maxRequestBytes?: number } = {}) {
  const topic = await freshTopic(prefix);
  topics.push(topic);
  const log = new KafkaLog({ brokers: BROKERS, topic, ...options });
  logs.push(log);
  return { topic, log };
}

/** Every record of the log from `from` until its end, read with a fresh reader. */
async function readAll(log: KafkaLog, from = 0): Promise<{ offset: number; text: string }[]> {
  const end = await log.end();
  const found: { offset: number; text: string }[] = [];
  const stop = new AbortController();
  if (end <= from) return found;
  for await (const batch of log.read(from, stop.signal)) {
    for (const record of batch.records)
      found.push({ offset: record.offset, text: Buffer.from(record.payload).toString() });
    if (found.at(-1)?.offset === end - 1) stop.abort();
  }
  return found;
}

describe.skipIf(!HAS_BROKER)("KafkaLog (against a real broker)", () => {
  it("resolves appends with the offsets their records got, concurrent ones included, in one total order", async () => {
    const { log } = await newLog("order");
    expect(log.name).toMatch(/^kafka:sibyl-test-order-[0-9a-f]{8}\/0$/);
    const appends = Array.from({ length: 20 }, (_, batch) =>
      log.append(Array.from({ length: 5 }, (_, index) => ({ payload: Buffer.from(`${batch}.${index}`) }))),
    );
    const offsets = await Promise.all(appends);
    expect(offsets.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, index) => index));
    const records = await readAll(log);
    for (const [number, batch] of offsets.entries()) {
      for (const [index, offset] of batch.entries()) expect(records[offset]?.text).toBe(`${number}.${index}`);
    }
    expect(await log.end()).toBe(100);
  });

  it("carries a request's answer beside its payload, in a record header", async () => {
    const { log } = await newLog("answer");
    await log.append([
      { payload: Buffer.from("request"), answer: Buffer.from("its answer") },
      { payload: Buffer.from("event") },
    ]);
    const stop = new AbortController();
    for await (const batch of log.read(0, stop.signal)) {
      expect(
        batch.records.map((record) => [
          record.offset,
          record.answer && Buffer.from(record.answer).toString(),
        ]),
      ).toEqual([
        [0, "its answer"],
        [1, undefined],
      ]);
      stop.abort();
    }
  });

  it("splits an append larger than one request, giving every record its offset", async () => {
    const { log } = await newLog("split", { maxRequestBytes: 4_096 });
    const entries = Array.from({ length: 300 }, (_, index) => ({
      payload: Buffer.from(`${index}:${"x".repeat(100)}`),
    }));
    const offsets = await log.append(entries);
    expect(offsets).toEqual(Array.from({ length: 300 }, (_, index) => index));
    expect((await readAll(log, 250)).map((record) => record.text.split(":")[0])).toEqual(
      Array.from({ length: 50 }, (_, index) => String(250 + index)),
    );
  });

  it("fails reading from an offset that retention deleted, naming where the partition now starts", async () => {
    const { topic, log } = await newLog("gone");
    await log.append(Array.from({ length: 10 }, (_, index) => ({ payload: Buffer.from(String(index)) })));
    const admin = new Admin({ clientId: "sibyl-test-admin", bootstrapBrokers: BROKERS });
    await admin.deleteRecords({ topics: [{ name: topic, partitions: [{ partition: 0, offset: 6n }] }] });
    await admin.close();
    const reading = readAll(log, 2);
    await expect(reading).rejects.toBeInstanceOf(KafkaOffsetGoneError);
    await expect(reading).rejects.toMatchObject({
      code: "offset_out_of_range",
      offset: 2,
      logStartOffset: 6,
    });
    expect((await readAll(log, 6)).map((record) => record.text)).toEqual(["6", "7", "8", "9"]);
  });

  it("names a missing topic plainly", async () => {
    const log = new KafkaLog({ brokers: BROKERS, topic: "sibyl-test-missing-topic", retries: 0 });
    logs.push(log);
    await expect(log.end()).rejects.toBeInstanceOf(KafkaTopicError);
  });
});
