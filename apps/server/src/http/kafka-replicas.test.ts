import { randomUUID } from "node:crypto";
import { createEventLogTopic } from "@sibyl/kafka";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../config/server-config.js";
import { type RunningServer, startServer } from "../server/start-server.js";
import { freshDataDir, get, postNdjson, SERVER_KEY, send, startTestServer, view } from "./test-support.js";

const BROKERS = (process.env.SIBYL_KAFKA_BROKERS ?? "").split(",").filter(Boolean);
if (BROKERS.length === 0) {
  if (process.env.CI)
    throw new Error("CI is set but SIBYL_KAFKA_BROKERS is not: start scripts/ci/kafka.sh first");
  console.warn("\n*** SKIPPING the Kafka replica HTTP test: SIBYL_KAFKA_BROKERS is not set ***\n");
}

const servers: RunningServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
});

async function replica(topic: string): Promise<RunningServer> {
  const server = await startTestServer({ log: "kafka", kafkaBrokers: BROKERS, kafkaTopic: topic, maxLag: 0 });
  servers.push(server);
  return server;
}

/** Polls /readyz until it answers 200 (a replica is ready once it has read up to its partition's end). */
async function readyz(server: RunningServer): Promise<Record<string, unknown>> {
  for (;;) {
    const answer = await get(server, "/readyz", null);
    if (answer.status === 200) return answer.json as Record<string, unknown>;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls /metrics until the replica has applied the partition's first `records` records. */
async function appliedThrough(server: RunningServer, records: number): Promise<void> {
  for (;;) {
    const text = (await get(server, "/metrics", null)).text;
    if (Number(/^sibyl_kafka_next_offset (\d+)$/m.exec(text)?.[1]) >= records) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(BROKERS.length === 0)(
  "servers replicating one Kafka partition (against a real broker)",
  () => {
    it("recommend identically through either replica, report readiness and export the consumer lag", async () => {
      const topic = `sibyl-test-http-${randomUUID().slice(0, 8)}`;
      await createEventLogTopic({ brokers: BROKERS, topic });
      const a = await replica(topic);
      const b = await replica(topic);
      const catalog = ["tent", "mat", "stove", "lamp"].map((id) => ({
        event_type: "ItemUpsert",
        item_id: id,
        title: id,
        categories: ["Outdoor"],
      }));
      const views = Array.from({ length: 40 }, (_, index) =>
        view(`v-${index % 8}`, ["tent", "mat", "stove"][index % 3]!),
      );
      await readyz(a);
      expect((await postNdjson(a, [...catalog, ...views])).status).toBe(200);

      const state = await readyz(b);
      expect(state).toMatchObject({
        status: "ready",
        replication: { log: `kafka:${topic}/0`, lag: 0, error: null },
      });
      const recommend = async (server: RunningServer, visitor: string) => {
        const answer = await send(`${server.url}/v1/recommend`, {
          key: SERVER_KEY,
          contentType: "application/json",
          body: JSON.stringify({
            placement: "product_page_similar",
            user_info: { visitor_id: visitor },
            context_item_ids: ["tent"],
          }),
        });
        expect(answer.status).toBe(200);
        return (answer.json as { items: { item_id: string }[] }).items.map((item) => item.item_id);
      };
      const fromA = await recommend(a, "zoe");
      await appliedThrough(b, 45);
      const fromB = await recommend(b, "zed");
      expect(fromA).toEqual(expect.arrayContaining(["mat", "stove"]));
      expect([...fromB].sort()).toEqual([...fromA].sort());

      // Each request was logged and read back by both replicas: their states agree item by item and in counts.
      await appliedThrough(a, 46);
      await appliedThrough(b, 46);
      for (const path of ["/v1/items/tent", "/v1/items/mat"])
        expect((await get(b, path)).json).toEqual((await get(a, path)).json);
      const requests = async (server: RunningServer) =>
        /^sibyl_placement_requests\{placement="product_page_similar"\} (\d+)$/m.exec(
          (await get(server, "/metrics", null)).text,
        )?.[1];
      expect(await requests(a)).toBe("2");
      expect(await requests(b)).toBe("2");
      const metrics = (await get(b, "/metrics", null)).text;
      expect(metrics).toMatch(/^sibyl_kafka_consumer_lag 0$/m);
      expect(metrics).toMatch(/^sibyl_kafka_next_offset [1-9]\d*$/m);
    });

    it("does not become ready on a topic that does not exist, and says which", async () => {
      const server = await startServer({
        ...DEFAULT_CONFIG,
        dataDir: freshDataDir(),
        port: 0,
        serverKeys: [SERVER_KEY],
        logLevel: "silent",
        log: "kafka",
        kafkaBrokers: BROKERS,
        kafkaTopic: `sibyl-test-missing-${randomUUID().slice(0, 8)}`,
      });
      await expect(server.ready).rejects.toMatchObject({ code: "kafka_topic" });
      expect((await get(server, "/readyz", null)).status).toBe(503);
      await server.stop();
    });
  },
);
