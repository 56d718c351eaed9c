import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export interface OutputDiff {
  /** Files whose content differs from what the generator produces, or that are missing. */
  stale: string[];
  /** Files in the output folder that the generator no longer produces. */
  extra: string[];
}

/**
 * Compares generated files with the output folder without touching the disk. `owned` lists the only files of
 * the folder the target manages, when it shares the folder with hand-written files; otherwise it owns it all.
 */
export function diffOutput(
  outDir: string,
  files: Map<string, string>,
  owned?: readonly string[],
): OutputDiff {
  const stale = [...files]
    .filter(([path, content]) => {
      const target = join(outDir, path);
      return !existsSync(target) || readFileSync(target, "utf8") !== content;
    })
    .map(([path]) => path);
  const candidates =
    owned === undefined ? listFiles(outDir) : owned.filter((path) => existsSync(join(outDir, path)));
  const extra = candidates.filter((path) => !files.has(path));
  return { stale: stale.sort(), extra: extra.sort() };
}

/** Writes the generated files and removes (owned) files the generator no longer produces. */
export function writeOutput(
  outDir: string,
  files: Map<string, string>,
  owned?: readonly string[],
): OutputDiff {
  const diff = diffOutput(outDir, files, owned);
  for (const path of diff.stale) {
    const target = join(outDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, files.get(path)!);
  }
  for (const path of diff.extra) rmSync(join(outDir, path));
  return diff;
}

function listFiles(dir: string, root = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(join(dir, entry.name), root)
      : [relative(root, join(dir, entry.name)).split("\\").join("/")],
  );
}
