import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

/** The schemas' test vectors: component tests run in jsdom, where a module's URL is not a file's. */
const EXAMPLES_DIR = fileURLToPath(new URL("../../schemas/examples/", import.meta.url));

export default defineConfig({
  plugins: [react()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "components",
          environment: "jsdom",
          include: ["src/**/*.test.{ts,tsx}"],
          // BASE_URL as vite.config.ts builds it: the console's routes are paths under /console/.
          env: { SIBYL_EXAMPLES_DIR: EXAMPLES_DIR, BASE_URL: "/console/" },
          setupFiles: ["src/testing/setup.ts"],
          // Rendering all 35 generated forms in jsdom takes seconds on a busy 2-core CI machine; speed is the
          // benchmarks' business, so the timeout is only a guard against hangs.
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        // A real server and a real browser: one file at a time, each test may wait for both.
        test: {
          name: "e2e",
          environment: "node",
          include: ["e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
