#!/usr/bin/env node
// Makes `npm start` and `npm test` work on a machine that has only Node.js: finds the pinned pnpm (or runs it
// through npx), installs the workspace when it is not installed yet, then runs the given command with the
// workspace's binaries on the PATH.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { packageManager } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const pinned = packageManager.replace(/^pnpm@/, "");

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", shell: false, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function pnpmCommand() {
  const probe = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  if (probe.status === 0 && probe.stdout.trim() === pinned) return ["pnpm", []];
  return ["npx", ["--yes", `pnpm@${pinned}`]];
}

const [pnpm, pnpmArgs] = pnpmCommand();
if (!existsSync(join(root, "node_modules", ".modules.yaml"))) {
  console.log(`Installing the workspace with pnpm ${pinned} …`);
  const status = run(pnpm, [...pnpmArgs, "install", "--frozen-lockfile"]);
  if (status !== 0) process.exit(status);
}

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: node scripts/bootstrap.mjs <command> [args...]");
  process.exit(2);
}
const PATH = [join(root, "node_modules", ".bin"), process.env.PATH].join(delimiter);
process.exit(run(command, args, { env: { ...process.env, PATH } }));
