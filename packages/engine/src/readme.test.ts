import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

it("README example runs and prints what its comments say", () => {
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  const file = fileURLToPath(new URL("../readme-example.tmp.ts", import.meta.url));
  writeFileSync(file, code!);
  try {
    const tsx = createRequire(import.meta.url).resolve("tsx/cli");
    const run = spawnSync(process.execPath, [tsx, file], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    const printed = run.stdout.replace(/\s+/g, " ");
    for (const comment of code!.matchAll(/\/\/ (.+)$/gm)) {
      expect(printed).toContain(comment[1]!.replace(/\s+/g, " "));
    }
  } finally {
    rmSync(file, { force: true });
  }
});
