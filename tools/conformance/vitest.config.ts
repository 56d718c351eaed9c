import { defineConfig } from "vitest/config";

// One test file drives three toolchains; compiling the Go player from a cold cache can take minutes.
export default defineConfig({
  test: { include: ["src/**/*.test.ts"], testTimeout: 600_000, hookTimeout: 60_000 },
});
