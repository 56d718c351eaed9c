#!/usr/bin/env node
// `npm start` / `pnpm start`: starts Sibyl's HTTP server on the default data directory once apps/server has one
// (`sibyl serve`); until then it says what this checkout can do.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const serveCommand = fileURLToPath(new URL("../apps/server/src/commands/serve-command.ts", import.meta.url));

if (!existsSync(serveCommand)) {
  console.log(`Sibyl's HTTP server (sibyl serve) is not part of this checkout yet. What works today:
  npm test                         every test: schemas, codegen, engine, durability, crash recovery, CLI
  npx pnpm@12.4.2 bench            the benchmarks, each beside its parse-only baseline
  npx pnpm@12.4.2 sibyl --help     the command line: replay a past moment, snapshot, log stat | verify | tail
  packages/engine/README.md        the engine as a library: createEngine() in memory, openEngine() on disk`);
  process.exit(0);
}

const build = spawnSync("turbo", ["run", "build", "--filter=@sibyl/server..."], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const serve = spawnSync(process.execPath, ["apps/server/dist/cli.js", "serve", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
process.exit(serve.status ?? 1);
