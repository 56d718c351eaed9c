import type { DurableEngine, ReplicationStatus } from "@sibyl/engine";
import { describe, expect, it } from "vitest";
import { READ_STALE_MS, readiness } from "./replica-readiness.js";

const NOW = Date.UTC(2026, 5, 1);

function engineReading(status: ReplicationStatus | null): DurableEngine {
  return { replication: () => status } as unknown as DurableEngine;
}

const healthy: ReplicationStatus = {
  log: "kafka:events/0",
  nextOffset: 990,
  end: 1_000,
  lag: 10,
  applied: 990,
  skipped: 0,
  lastReadAt: NOW - 100,
  error: null,
};

describe("readiness of a replica", () => {
  it("is always ready on the file log", () => {
    expect(readiness(engineReading(null), { maxLag: 0 }, NOW)).toEqual({ ready: true, replication: null });
  });

  it("is ready within maxLag records, and catching up beyond", () => {
    expect(readiness(engineReading(healthy), { maxLag: 10 }, NOW)).toMatchObject({ ready: true });
    expect(readiness(engineReading(healthy), { maxLag: 9 }, NOW)).toMatchObject({
      ready: false,
      status: "catching_up",
      message: "10 records behind kafka:events/0 (ready at 9 or fewer)",
    });
  });

  it("is not ready before its first read, nor when its log has not been read lately, however small its lag", () => {
    const stale = { ...healthy, lag: 0, lastReadAt: NOW - READ_STALE_MS - 1 };
    expect(readiness(engineReading(stale), { maxLag: 100 }, NOW)).toMatchObject({
      ready: false,
      status: "log_unreachable",
    });
    expect(readiness(engineReading({ ...healthy, lastReadAt: null }), { maxLag: 100 }, NOW)).toMatchObject({
      ready: false,
      status: "catching_up",
      message: "kafka:events/0 has not been read yet",
    });
  });

  it("is not ready once reading has stopped, and says why", () => {
    const failed = { ...healthy, error: new Error("offset 0 is no longer in the partition") };
    const state = readiness(engineReading(failed), { maxLag: 100 }, NOW);
    expect(state).toMatchObject({ ready: false, status: "log_failed" });
    expect(state.replication?.error).toBe("offset 0 is no longer in the partition");
  });
});
