import { runReadmeExample } from "@sibyl/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SERVER_KEY, type SibylServer, startSibylServer, TRACKING_KEY } from "./testing/sibyl-server.js";

let server: SibylServer;
beforeAll(async () => {
  server = await startSibylServer();
});
afterAll(async () => {
  await server?.stop();
});

it("README example runs against a fresh server and prints what its comments say", () => {
  // The example reads the server from the environment, as a user runs it; the child process inherits it.
  Object.assign(process.env, {
    SIBYL_URL: server.url,
    SIBYL_SERVER_KEY: SERVER_KEY,
    SIBYL_TRACKING_KEY: TRACKING_KEY,
  });
  const run = runReadmeExample(new URL("../", import.meta.url));
  expect(run.stderr).toBe("");
  expect(run.promised).toHaveLength(3);
  for (const promise of run.promised) expect(run.printed).toContain(promise);
});
