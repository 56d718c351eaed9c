import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

/**
 * Runs the first ```ts block of a package's README as a program from the package folder (so its imports resolve
 * like a user's would) and checks that it prints, in order of appearance, what each `// comment` line says.
 */
export function expectReadmeExampleRuns(packageDir: URL): void {
  const readme = readFileSync(new URL("README.md", packageDir), "utf8");
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code, "the README has a ```ts example").toBeDefined();
  const file = fileURLToPath(new URL("readme-example.tmp.ts", packageDir));
  writeFileSync(file, code!);
  try {
    const tsx = createRequire(import.meta.url).resolve("tsx/cli");
    const run = spawnSync(process.execPath, [tsx, file], {
      encoding: "utf8",
      cwd: fileURLToPath(packageDir),
    });
    expect(run.stderr).toBe("");
    const printed = run.stdout.replace(/\s+/g, " ");
    for (const comment of code!.matchAll(/\/\/ (.+)$/gm))
      expect(printed).toContain(comment[1]!.replace(/\s+/g, " "));
  } finally {
    rmSync(file, { force: true });
  }
}
