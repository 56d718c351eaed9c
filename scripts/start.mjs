#!/usr/bin/env node
// `npm start` / `pnpm start`: builds the server and starts it on the default data directory (./.sibyl-data);
// arguments are passed to `sibyl serve` (e.g. `npm start -- --port 9000`).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const build = spawnSync("turbo", ["run", "build", "--filter=@sibyl/server...", "--output-logs=errors-only"], {
  cwd: root,
  stdio: "inherit",
});
if (build.status !== 0) process.exit(build.status ?? 1);
const serve = spawnSync(process.execPath, ["apps/server/dist/cli.js", "serve", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
process.exit(serve.status ?? 1);
