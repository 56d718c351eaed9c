import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { exportSnapshot, importSnapshot } from "@sibyl/engine";
import type { SibylEvent } from "@sibyl/events";
import { Admin } from "@platformatic/kafka";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { kafkaLogName } from "./kafka-options.js";
import { rewriteTopicForErasure } from "./rewrite-topic.js";
import { BROKERS, deleteTopics, freshTopic, HAS_BROKER } from "./test-support/kafka-broker.js";
import { eventsInTopic } from "./test-support/read-log.js";
import { ReplicaSet } from "./test-support/replicas.js";
import { shopEvents } from "./test-support/sample-events.js";

const replicas = new ReplicaSet();
const topics: string[] = [];
afterEach(() => replicas.closeAll());
afterAll(() => deleteTopics(topics));

const SECRET_VISITOR = "visitor-secret-kafka-4b1";
const SECRET_USER = "user-secret-kafka-77e";
const T = Date.UTC(2026, 2, 1);

/** Files below `dir` whose bytes contain `text`. */
function filesContaining(dir: string, text: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((name) => {
    const path = join(dir, name);
    return statSync(path).isFile() && readFileSync(path).includes(text);
  });
}

const secretEvents: SibylEvent[] = [
  {
    event_type: "DetailItemView",
    user_info: { visitor_id: SECRET_VISITOR },
    item: { item_id: "sku-1" },
    event_time: T,
  },
  {
    event_type: "DetailItemView",
    user_info: { visitor_id: SECRET_VISITOR, user_id: SECRET_USER },
    item: { item_id: "sku-2" },
    event_time: T + 1,
  },
  { event_type: "UserMerge", from_visitor_id: SECRET_VISITOR, to_user_id: SECRET_USER, event_time: T + 2 },
];

describe.skipIf(!HAS_BROKER)("erasure on a Kafka partition (against a real broker)", () => {
  it("erases from every replica's state and snapshots at once; a rewrite erases from the topic, offsets kept", async () => {
    const source = await freshTopic("erase");
    const rewritten = await freshTopic("erased");
    topics.push(source, rewritten);
    const a = await replicas.open(source);
    const b = await replicas.open(source);
    await a.append(shopEvents(400, 5));
    await a.append(secretEvents);
    await a.snapshot();
    await b.catchUp();
    await b.snapshot();
    await a.append([{ event_type: "UserForget", id_kind: "visitor", id: SECRET_VISITOR, event_time: T + 3 }]);
    await a.append(shopEvents(100, 6));
    await b.catchUp();
    for (const replica of [a, b]) {
      expect(replica.inspectVisitor(SECRET_VISITOR)).toBeUndefined();
      expect(filesContaining(replica.dataDir, SECRET_VISITOR)).toEqual([]);
      expect(filesContaining(replica.dataDir, SECRET_USER)).toEqual([]);
    }
    // Kafka's records are immutable: the topic still names them until it is rewritten (or retention ends).
    expect(JSON.stringify(await eventsInTopic(source))).toContain(SECRET_VISITOR);

    const report = await rewriteTopicForErasure({
      brokers: BROKERS,
      from: { topic: source },
      to: { topic: rewritten },
    });
    expect(report).toMatchObject({
      end: 504,
      anonymised: 2,
      redacted: 2,
      padded: 0,
      erasedVisitors: 1,
      erasedUsers: 1,
    });
    expect(report.copied).toBe(500);
    const after = JSON.stringify(await eventsInTopic(rewritten));
    expect(after).not.toContain(SECRET_VISITOR);
    expect(after).not.toContain(SECRET_USER);

    // A replica moves to the rewritten topic from a relabelled snapshot, at the same offset.
    const file = join(replicas.dataDir(), "a.snap");
    const exported = exportSnapshot(a.dataDir, file);
    const target = replicas.dataDir();
    importSnapshot(target, file, { asLog: kafkaLogName(rewritten, 0) });
    const moved = await replicas.open(rewritten, target);
    expect(moved.recovery.log.from).toBe(exported.meta.nextOffset);
    await moved.catchUp();
    expect(moved.stateHash()).toBe(a.stateHash());
    await moved.append(shopEvents(10, 8));
    expect(moved.replication()).toMatchObject({ nextOffset: 514, error: null });
  });

  it("keeps offsets where retention already deleted records, with empty records in their place", async () => {
    const source = await freshTopic("erase-head");
    const rewritten = await freshTopic("erased-head");
    topics.push(source, rewritten);
    const a = await replicas.open(source);
    const events = shopEvents(10, 9);
    await a.append(events);
    const admin = new Admin({ clientId: "sibyl-test-admin", bootstrapBrokers: BROKERS });
    await admin.deleteRecords({ topics: [{ name: source, partitions: [{ partition: 0, offset: 4n }] }] });
    await admin.close();
    const report = await rewriteTopicForErasure({
      brokers: BROKERS,
      from: { topic: source },
      to: { topic: rewritten },
    });
    expect(report).toMatchObject({ end: 10, copied: 6, padded: 4, redacted: 0 });
    expect(await eventsInTopic(rewritten)).toEqual(events.slice(4));
  });
});
