import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const here = fileURLToPath(new URL("../", import.meta.url));

/** How to start one language's session player; every player takes the same arguments after `command`. */
export interface Player {
  language: "typescript" | "python" | "go";
  /** Prefix of the visitor ids this player plays. */
  prefix: string;
  /** The toolchain the player needs besides Node.js, if any. */
  toolchain?: { command: string; versionFlag: string };
  /** The player's source, which must exist once the toolchain does. */
  source: string;
  command: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
}

export const PLAYERS: readonly Player[] = [
  {
    language: "typescript",
    prefix: "ts",
    source: `${here}players/ts-player.ts`,
    command: process.execPath,
    args: [createRequire(import.meta.url).resolve("tsx/cli"), `${here}players/ts-player.ts`],
    cwd: here,
  },
  {
    language: "python",
    prefix: "py",
    toolchain: { command: "python3", versionFlag: "--version" },
    source: `${repo}packages/sdk-python/tests/conformance_player.py`,
    command: "python3",
    args: [`${repo}packages/sdk-python/tests/conformance_player.py`],
    cwd: repo,
    env: { PYTHONPATH: `${repo}packages/sdk-python/src` },
  },
  {
    language: "go",
    prefix: "go",
    toolchain: { command: "go", versionFlag: "version" },
    source: `${repo}packages/sdk-go/cmd/conformance-player/main.go`,
    command: "go",
    args: ["run", "./cmd/conformance-player"],
    cwd: `${repo}packages/sdk-go`,
  },
];

/** Why a player's toolchain cannot run, or undefined when it can. */
export function missingToolchain(player: Player): string | undefined {
  if (!player.toolchain) return undefined;
  const { command, versionFlag } = player.toolchain;
  const probe = spawnSync(command, [versionFlag], { encoding: "utf8" });
  if (probe.error) return `${command} is not installed (${probe.error.message})`;
  if (probe.status !== 0) return `\`${command} ${versionFlag}\` exited with ${probe.status}`;
  return undefined;
}

export interface PlayerRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface PlayArgs {
  baseUrl: string;
  key: string;
  session: string;
  visitor: string;
  phase: "track" | "recommend";
}

/** Runs one phase of a player to its end. */
export function play(player: Player, args: PlayArgs): Promise<PlayerRun> {
  const argv = [
    ...player.args,
    ...["--base-url", args.baseUrl, "--key", args.key, "--session", args.session],
    ...["--visitor", args.visitor, "--phase", args.phase],
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(player.command, argv, {
      cwd: player.cwd,
      env: { ...process.env, ...player.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

export function sourceExists(player: Player): boolean {
  return existsSync(player.source);
}
