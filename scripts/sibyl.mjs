#!/usr/bin/env node
// `pnpm sibyl <command>` from the repository root: builds the CLI if needed, then runs it with the given arguments.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const build = spawnSync("turbo", ["run", "build", "--filter=@sibyl/server...", "--output-logs=errors-only"], {
  cwd: root,
  stdio: ["ignore", "ignore", "inherit"],
});
if (build.status !== 0) process.exit(build.status ?? 1);
const cli = fileURLToPath(new URL("../apps/server/dist/cli.js", import.meta.url));
const run = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(run.status ?? 1);
