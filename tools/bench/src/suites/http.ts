import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";
import { measureParseOnly, percentile } from "../report/measure.js";
import { type Figure, figure } from "../report/report.js";
import { syntheticCatalog, syntheticStream } from "../stream/synthetic-stream.js";
import type { Suite } from "../suite.js";

const CLI = fileURLToPath(new URL("../../../../apps/server/dist/cli.js", import.meta.url));
const SERVER_KEY = "sk_bench_server_key_0123456789";
const TRACKING_KEY = "pk_bench_tracking_key_0123456789";

/**
 * The server end to end, from a separate process: NDJSON batches of 1,000 realistic events (parse, validate, log
 * with durable acknowledgement, apply) against parse-only (target ≥ 0.10 ×), and POST /v1/recommend p99 at a steady
 * 2,000 requests/s against GET /healthz p99 at the same rate (target ≤ 2 ×).
 */
export const httpSuite: Suite = {
  name: "http",
  title: "HTTP end to end (server in its own process, durability always)",
  async run({ quick }) {
    const dataDir = mkdtempSync(join(tmpdir(), "sibyl-bench-http-"));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const server = await startServer(dataDir, port);
    const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 16, pipelining: 1 });
    try {
      const figures: Figure[] = [];
      const catalog = [...syntheticCatalog(quick ? 2_000 : 20_000)].map((event) => JSON.stringify(event));
      for (let offset = 0; offset < catalog.length; offset += 5_000) {
        await post(
          pool,
          "/v1/events",
          catalog.slice(offset, offset + 5_000).join("\n"),
          SERVER_KEY,
          "application/x-ndjson",
        );
      }
      const total = quick ? 20_000 : 300_000;
      const lines = Array.from(
        syntheticStream({ events: total, items: quick ? 2_000 : 20_000, visitors: 100_000 }),
        (event) => JSON.stringify(event),
      );
      const parseOnly = measureParseOnly(lines, 3);
      const batches: string[] = [];
      for (let offset = 0; offset < lines.length; offset += 1_000)
        batches.push(lines.slice(offset, offset + 1_000).join("\n"));
      let accepted = 0;
      let next = 0;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < batches.length) {
            const body = batches[next++]!;
            const response = await post(pool, "/v1/events", body, SERVER_KEY, "application/x-ndjson");
            accepted += (JSON.parse(response) as { accepted: number }).accepted;
          }
        }),
      );
      const ingestRate = accepted / ((performance.now() - start) / 1000);
      figures.push(
        figure("ingest, NDJSON batches of 1,000", ingestRate, "events/s", "parse-only", parseOnly.perSecond, {
          op: ">=",
          ratio: 0.1,
        }),
      );

      const seconds = quick ? 1 : 5;
      const health = await steadyLoad(pool, 2_000, seconds, () =>
        pool.request({ path: "/healthz", method: "GET" }),
      );
      const recommend = await steadyLoad(pool, 2_000, seconds, (index) =>
        pool.request({
          path: "/v1/recommend",
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${TRACKING_KEY}` },
          body: JSON.stringify({
            placement: ["trending", "product_page_similar", "home_for_you"][index % 3],
            user_info: { visitor_id: `v-${(index * 7919) % 100_000}` },
            context_item_ids: [`sku-${(index * 104_729) % 2_000}`],
          }),
        }),
      );
      figures.push(
        figure("GET /healthz p99 at 2,000 req/s", percentile(health, 99), "ms", "—", percentile(health, 99)),
        figure(
          "POST /v1/recommend p99 at 2,000 req/s",
          percentile(recommend, 99),
          "ms",
          "GET /healthz p99",
          percentile(health, 99),
          {
            op: "<=",
            ratio: 2,
          },
        ),
        figure(
          "POST /v1/recommend p50 at 2,000 req/s",
          percentile(recommend, 50),
          "ms",
          "GET /healthz p50",
          percentile(health, 50),
        ),
      );
      return figures;
    } finally {
      await pool.close();
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

async function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      CLI,
      "serve",
      "--data-dir",
      dataDir,
      "--port",
      String(port),
      "--log-level",
      "warn",
      "--tracking-key",
      TRACKING_KEY,
      "--server-key",
      SERVER_KEY,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (data: Buffer) => {
      if (data.toString("utf8").includes("ready:")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before it was ready`)));
  });
  return child;
}

async function post(pool: Pool, path: string, body: string, key: string, type: string): Promise<string> {
  const response = await pool.request({
    path,
    method: "POST",
    headers: { "content-type": type, authorization: `Bearer ${key}` },
    body,
  });
  const text = await response.body.text();
  if (response.statusCode >= 300)
    throw new Error(`${path} answered ${response.statusCode}: ${text.slice(0, 300)}`);
  return text;
}

/** Sends requests at a fixed rate (open loop: late answers do not slow the sender) and returns latencies in ms. */
async function steadyLoad(
  _pool: Pool,
  perSecond: number,
  seconds: number,
  send: (index: number) => Promise<{ statusCode: number; body: { dump(): Promise<void> } }>,
): Promise<number[]> {
  const total = perSecond * seconds;
  const interval = 1000 / perSecond;
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let index = 0; index < total; index++) {
    const due = start + index * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    pending.push(
      send(index).then(async (response) => {
        await response.body.dump();
        if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
        latencies.push(performance.now() - sent);
      }),
    );
  }
  await Promise.all(pending);
  return latencies;
}
