import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { ReleaseError } from "./versions.js";
import type { WorkspacePackage } from "./workspace.js";

export interface Artefact {
  kind: "npm" | "wheel" | "sdist";
  file: string;
  bytes: number;
}

export function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
  if (result.error) throw new ReleaseError(`could not run ${command}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new ReleaseError(`\`${command} ${args.join(" ")}\` in ${cwd} exited with ${result.status}`);
  }
}

function filesIn(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .map((name) => join(dir, name));
}

/** `pnpm pack` of every published package: the exact tarballs `changeset publish` would upload. */
export function packNpm(root: string, packages: WorkspacePackage[], outDir: string): Artefact[] {
  const dir = join(outDir, "npm");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const pkg of packages) run("pnpm", ["pack", "--pack-destination", dir], join(root, pkg.dir));
  return filesIn(dir).map((file) => ({ kind: "npm", file, bytes: statSync(file).size }));
}

/** The Python SDK's wheel and sdist, built by PyPA's `build` in an isolated environment. */
export function buildPython(root: string, outDir: string): Artefact[] {
  const dir = join(outDir, "python");
  rmSync(dir, { recursive: true, force: true });
  const probe = spawnSync("python3", ["-m", "build", "--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new ReleaseError(
      "python3 with PyPA's build is needed for the Python SDK: `python3 -m pip install build`",
    );
  }
  run("python3", ["-m", "build", "--sdist", "--wheel", "--outdir", dir, "packages/sdk-python"], root);
  return filesIn(dir).map((file) => ({
    kind: file.endsWith(".whl") ? "wheel" : "sdist",
    file,
    bytes: statSync(file).size,
  }));
}
