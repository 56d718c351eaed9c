import { runReadmeExample } from "@sibyl/test-support";
import { describe, expect, it } from "vitest";
import { HAS_BROKER } from "./test-support/kafka-broker.js";

describe.skipIf(!HAS_BROKER)("README (against a real broker)", () => {
  it("example runs and prints what its comments say", () => {
    const run = runReadmeExample(new URL("../", import.meta.url));
    expect(run.stderr).toBe("");
    expect(run.promised.length).toBeGreaterThan(0);
    for (const promise of run.promised) expect(run.printed).toContain(promise);
  });
});
