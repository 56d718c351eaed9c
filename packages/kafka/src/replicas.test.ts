import { join } from "node:path";
import { exportSnapshot, importSnapshot } from "@sibyl/engine";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { deleteTopics, freshTopic, HAS_BROKER } from "./test-support/kafka-broker.js";
import { ReplicaSet } from "./test-support/replicas.js";
import { shopEvents } from "./test-support/sample-events.js";

const replicas = new ReplicaSet();
const topics: string[] = [];
afterEach(() => replicas.closeAll());
afterAll(() => deleteTopics(topics));

async function topic(prefix: string): Promise<string> {
  const name = await freshTopic(prefix);
  topics.push(name);
  return name;
}

describe.skipIf(!HAS_BROKER)("replicas sharing one Kafka partition (against a real broker)", () => {
  it("recommend identically once caught up, whichever replica took the events", async () => {
    const shared = await topic("replicas");
    const a = await replicas.open(shared);
    const b = await replicas.open(shared);
    const events = shopEvents(3_000);
    // A writer sends every batch to replica A, except a few sent to B, as a load balancer would.
    for (let index = 0; index < events.length; index += 250) {
      const target = index % 1_000 === 500 ? b : a;
      const result = await target.append(events.slice(index, index + 250));
      expect(result.accepted).toBe(Math.min(250, events.length - index));
    }
    const answered = await b.recommend({
      placement: "product_page_similar",
      user_info: { visitor_id: "v-1" },
      context_item_ids: ["sku-3"],
    });
    await a.catchUp();
    await b.catchUp();
    expect(b.stateHash()).toBe(a.stateHash());
    expect(a.replication()).toMatchObject({ lag: 0, nextOffset: 3_001, error: null });
    for (const request of [
      { placement: "home_for_you", user_info: { visitor_id: "v-7" } },
      { placement: "product_page_similar", user_info: { visitor_id: "v-9" }, context_item_ids: ["sku-1"] },
      { placement: "trending", user_info: { visitor_id: "nobody" } },
    ]) {
      const fromA = a.preview(request);
      expect(fromA.items.length).toBeGreaterThan(0);
      expect(b.preview(request)).toEqual(fromA);
    }
    expect(answered.items.length).toBeGreaterThan(0);
    expect(a.stats().attribution).toEqual(b.stats().attribution);
  });

  it("starts a new replica from a snapshot exported by another and reaches the same state", async () => {
    const shared = await topic("export");
    const a = await replicas.open(shared);
    await a.append(shopEvents(1_500, 2));
    const snapshot = await a.snapshot();
    await a.append(shopEvents(500, 3));
    const file = join(replicas.dataDir(), "a.snap");
    const exported = exportSnapshot(a.dataDir, file);
    expect(exported.position).toBe(`kafka:${shared}/0@1500`);
    expect(exported.bytes).toBe(snapshot.bytes);

    const target = replicas.dataDir();
    importSnapshot(target, file);
    const c = await replicas.open(shared, target);
    expect(c.recovery.snapshot).not.toBeNull();
    expect(c.recovery.log).toMatchObject({ from: 1_500, end: 2_000 });
    await c.catchUp();
    expect(c.stateHash()).toBe(a.stateHash());
    const fromZero = await replicas.open(shared);
    await fromZero.catchUp();
    expect(fromZero.stateHash()).toBe(a.stateHash());
  });
});
