import { runReadmeExample } from "@sibyl/test-support";
import { expect, it } from "vitest";

it("README example runs and prints what its comments say", () => {
  const run = runReadmeExample(new URL("../", import.meta.url));
  expect(run.stderr).toBe("");
  expect(run.promised.length).toBeGreaterThan(0);
  for (const promise of run.promised) expect(run.printed).toContain(promise);
});
