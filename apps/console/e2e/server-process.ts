import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The server's command line, built by `pnpm --filter @sibyl/server build` (turbo builds it before these tests). */
export const SERVER_CLI = fileURLToPath(new URL("../../server/dist/cli.js", import.meta.url));
export const TRACKING_KEY = "pk_console_e2e_tracking_01";
export const SERVER_KEY = "sk_console_e2e_server_0001";

export interface ServerProcess {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  /** The folder the server runs in; its data directory is in it too. */
  folder: string;
  dataDir: string;
  /** Everything the server printed, for a failing test's message. */
  output: () => string;
  stop: () => Promise<void>;
}

/** A server that did not start: what it printed says why. */
export class ServerStartError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(`${message}\n--- server output ---\n${output}`);
    this.name = "ServerStartError";
  }
}

/**
 * Starts `sibyl serve` as its own process on a free port, in a fresh folder, serving the console from the
 * @sibyl/console build as the quick start does, and resolves once it listens and is ready. With
 * `developmentKeys` it is given no keys — it creates them in ./.sibyl-data, as `npm start` does; otherwise it
 * takes TRACKING_KEY and SERVER_KEY.
 */
export async function startServer(options: { developmentKeys?: boolean } = {}): Promise<ServerProcess> {
  if (!existsSync(SERVER_CLI))
    throw new ServerStartError(
      `no ${SERVER_CLI}: build the server first (pnpm --filter @sibyl/server... build)`,
      "",
    );
  const folder = mkdtempSync(join(tmpdir(), "sibyl-console-e2e-"));
  const dataDir = join(folder, ".sibyl-data");
  const settings = options.developmentKeys
    ? []
    : ["-d", dataDir, "--tracking-key", TRACKING_KEY, "--server-key", SERVER_KEY];
  const child = spawn(
    process.execPath,
    [SERVER_CLI, "serve", "-p", "0", ...settings, "--durability", "none", "--log-level", "warn"],
    { cwd: folder, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = /Sibyl listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => reject(new ServerStartError(`the server exited with ${code}`, output)));
  });
  await waitUntilReady(url, () => output);
  return { url, folder, dataDir, output: () => output, stop: () => stop(child, folder) };
}

async function waitUntilReady(url: string, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await fetch(`${url}/readyz`);
    if (response.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new ServerStartError(`${url}/readyz never answered 200`, output());
}

async function stop(child: ChildProcess, folder: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  rmSync(folder, { recursive: true, force: true });
}
