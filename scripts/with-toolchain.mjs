#!/usr/bin/env node
// Runs a test command that needs a toolchain outside Node.js (python3, go). With CI set, a missing toolchain is a
// failure; elsewhere the suite is skipped with a loud message, so `npm test` still works on a machine that has
// only Node.js.
//
//   node scripts/with-toolchain.mjs <tool> [--version-flag <flag>] -- <command> [args...]
import { spawnSync } from "node:child_process";

const argv = process.argv.slice(2);
const separator = argv.indexOf("--");
if (separator < 1 || separator === argv.length - 1) {
  console.error("usage: with-toolchain.mjs <tool> [--version-flag <flag>] -- <command> [args...]");
  process.exit(2);
}
const [tool, ...options] = argv.slice(0, separator);
const [command, ...args] = argv.slice(separator + 1);
const flagAt = options.indexOf("--version-flag");
const versionFlag = flagAt >= 0 ? options[flagAt + 1] : "--version";

const probe = spawnSync(tool, [versionFlag], { encoding: "utf8" });
if (probe.error || probe.status !== 0) {
  const banner = "!".repeat(78);
  const why = probe.error ? probe.error.message : `\`${tool} ${versionFlag}\` exited with ${probe.status}`;
  if (process.env.CI) {
    console.error(`${banner}\n${tool} is required when CI is set, and it is missing: ${why}\n${banner}`);
    process.exit(1);
  }
  console.error(
    `${banner}\nSKIPPED: ${tool} is not installed (${why}).\n` +
      `These tests did not run. Install ${tool} to run them; in CI they are required.\n${banner}`,
  );
  process.exit(0);
}

const result = spawnSync(command, args, { stdio: "inherit" });
if (result.error) {
  console.error(`could not start ${command}: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
