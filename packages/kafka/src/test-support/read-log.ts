import type { SibylEvent } from "@sibyl/events";
import { KafkaLog } from "../kafka-log.js";
import { BROKERS } from "./kafka-broker.js";

/** Every event in a topic's partition 0, in offset order (redacted, empty records left out). */
export async function eventsInTopic(topic: string, brokers = BROKERS): Promise<SibylEvent[]> {
  const log = new KafkaLog({ brokers, topic });
  try {
    const end = await log.end();
    const events: SibylEvent[] = [];
    if (end === 0) return events;
    const stop = new AbortController();
    for await (const batch of log.read(0, stop.signal)) {
      for (const record of batch.records) {
        if (record.payload.length > 0) events.push(JSON.parse(Buffer.from(record.payload).toString("utf8")));
      }
      if (batch.next >= end) stop.abort();
    }
    return events;
  } finally {
    await log.close();
  }
}
