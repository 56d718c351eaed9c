#!/usr/bin/env node
// `npm start` / `pnpm start`: builds what the server needs and starts it on the default data directory.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const server = fileURLToPath(new URL("../apps/server/package.json", import.meta.url));

if (!existsSync(server)) {
  console.log(`Sibyl's server (apps/server) is not part of this checkout yet.
What works today:
  npm test                 every test: schema lint, vectors, codegen checks, unit tests
  npx pnpm@12.4.2 bench    the benchmarks (validation vs parse-only)
  npx pnpm@12.4.2 generate regenerate types and validators from schemas/`);
  process.exit(0);
}

const build = spawnSync("turbo", ["run", "build", "--filter=@sibyl/server..."], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const serve = spawnSync(process.execPath, ["apps/server/dist/cli.js", "serve", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
process.exit(serve.status ?? 1);
