import { runReadmeExample } from "@sibyl/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type SibylServer, startSibylServer } from "@sibyl/test-support";
import { SERVER_KEY, TRACKING_KEY } from "./testing/keys.js";

let server: SibylServer;
beforeAll(async () => {
  server = await startSibylServer({
    from: import.meta.url,
    trackingKey: TRACKING_KEY,
    serverKey: SERVER_KEY,
  });
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
