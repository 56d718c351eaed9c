import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

// Shared by integration tests (not a test itself): a real `sibyl serve` in a child process, as users run it.

export interface SibylServer {
  url: string;
  trackingKey: string;
  serverKey: string;
  stop(): Promise<void>;
}

export interface StartSibylServerOptions {
  /** `import.meta.url` of the caller, whose package depends on @sibyl/server (and has it built). */
  from: string;
  trackingKey?: string;
  serverKey?: string;
}

/**
 * Starts the built `sibyl serve` on a free port, a fresh data directory and durability none, with the given keys;
 * resolves once it is ready.
 */
export async function startSibylServer(options: StartSibylServerOptions): Promise<SibylServer> {
  const cli = join(dirname(createRequire(options.from).resolve("@sibyl/server/package.json")), "dist/cli.js");
  const dataDir = mkdtempSync(join(tmpdir(), "sibyl-test-server-"));
  const trackingKey = options.trackingKey ?? "pk_test_tracking_key_0001";
  const serverKey = options.serverKey ?? "sk_test_server_key_00000001";
  const args = ["serve", "-p", "0", "-d", dataDir, "--durability", "none", "--log-level", "silent"];
  args.push("--tracking-key", trackingKey, "--server-key", serverKey);
  const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const url = await listeningUrl(child);
  await waitUntilReady(url);
  return {
    url,
    trackingKey,
    serverKey,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const match = /Sibyl listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("exit", (code) =>
      reject(new Error(`sibyl serve exited with ${code} before listening:\n${stdout}\n${stderr}`)),
    );
  });
}

/** The server listens before it has recovered its data directory; /readyz says when it takes events. */
async function waitUntilReady(url: string): Promise<void> {
  for (;;) {
    const response = await fetch(`${url}/readyz`);
    await response.arrayBuffer();
    if (response.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
