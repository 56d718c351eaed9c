import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export interface ReadmeExampleRun {
  /** The example's source: the first ```ts block of the README. */
  code: string;
  stderr: string;
  /** What the example printed, whitespace collapsed. */
  printed: string;
  /** What its `// comment`s say it prints, whitespace collapsed, in order. */
  promised: string[];
}

/** Runs the first ```ts block of a package's README from the package folder, so its imports resolve as a user's. */
export function runReadmeExample(packageDir: URL): ReadmeExampleRun {
  const readme = readFileSync(new URL("README.md", packageDir), "utf8");
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (code === undefined) throw new Error(`${fileURLToPath(packageDir)}README.md has no \`\`\`ts example`);
  const file = fileURLToPath(new URL("readme-example.tmp.ts", packageDir));
  writeFileSync(file, code);
  try {
    const tsx = createRequire(import.meta.url).resolve("tsx/cli");
    const run = spawnSync(process.execPath, [tsx, file], {
      encoding: "utf8",
      cwd: fileURLToPath(packageDir),
    });
    const collapse = (text: string) => text.replace(/\s+/g, " ");
    return {
      code,
      stderr: run.stderr,
      printed: collapse(run.stdout),
      promised: [...code.matchAll(/\/\/ (.+)$/gm)].map((match) => collapse(match[1]!)),
    };
  } finally {
    rmSync(file, { force: true });
  }
}
