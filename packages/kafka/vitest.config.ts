import { defineConfig } from "vitest/config";

export default defineConfig({
  // One broker is shared by every test file: run them one after another.
  test: { include: ["src/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false },
});
