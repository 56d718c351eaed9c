import { expect, it } from "vitest";
import { get, postNdjson, startTestServer, view } from "./test-support.js";

it("exports the duration and size of the snapshots it writes, and the time of each log fsync", async () => {
  const server = await startTestServer({ snapshotEvery: 5 });
  try {
    const answer = await postNdjson(
      server,
      Array.from({ length: 6 }, (_, index) => view(`v-${index}`, `sku-${index}`)),
    );
    expect(answer.status).toBe(200);
    const text = (await get(server, "/metrics")).text;
    expect(text).toMatch(/^sibyl_snapshot_duration_seconds_count [1-9]\d*$/m);
    const size = /^sibyl_snapshot_size_bytes (\d+)$/m.exec(text)?.[1];
    expect(Number(size)).toBeGreaterThan(0);
    expect(text).toMatch(/^sibyl_log_fsync_seconds_count [1-9]\d*$/m);
  } finally {
    await server.stop();
  }
});
