import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SibylEvent } from "@sibyl/events";
import type { ImportRejection, ImportSource } from "./import-source.js";

const packageDir = fileURLToPath(new URL("../../..", import.meta.url));
export const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));

/** Runs the `sibyl` command line from source. */
export function sibyl(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: packageDir,
    encoding: "utf8",
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function scratch(): string {
  return mkdtempSync(join(tmpdir(), "sibyl-import-"));
}

/** What a source makes of its input, gathered. */
export interface Collected {
  events: SibylEvent[];
  lines: number[];
  rejections: ImportRejection[];
  skipped: { line: number; reason: string }[];
  blank: number[];
}

export async function collect(source: ImportSource): Promise<Collected> {
  const collected: Collected = { events: [], lines: [], rejections: [], skipped: [], blank: [] };
  try {
    for await (const item of source.items()) {
      if (item.kind === "event") {
        collected.events.push(item.event);
        collected.lines.push(item.line);
      } else if (item.kind === "rejected") collected.rejections.push(item.rejection);
      else if (item.kind === "skipped") collected.skipped.push({ line: item.line, reason: item.reason });
      else collected.blank.push(item.line);
    }
  } finally {
    await source.close();
  }
  return collected;
}

/** Counts of each event type. */
export function countTypes(events: readonly SibylEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { event_type } of events) counts[event_type] = (counts[event_type] ?? 0) + 1;
  return counts;
}

/**
 * The folder of the real data sets beside the checkout (`../shared/data`, as CI has it), or `SIBYL_SHARED_DATA`.
 * Its absence is a failure, not a reason to skip: the importers are tested on real data.
 */
export function sharedData(...path: string[]): string {
  const root = process.env.SIBYL_SHARED_DATA ?? join(packageDir, "../../../shared/data");
  const full = join(root, ...path);
  if (!existsSync(full))
    throw new Error(`${full} is missing: the real data sets belong in ../shared/data beside the checkout`);
  return full;
}

/**
 * A MovieLens directory holding a real slice of ml-latest-small: the first `movies` movies, and every rating of
 * the given users; `extraRatings` lines are appended to ratings.csv as they are.
 */
export function movielensSlice(options: {
  movies: number;
  users: readonly number[];
  extraRatings?: string[];
}) {
  const source = sharedData("movielens-latest-small");
  const read = (name: string) => {
    const text = readFileSync(join(source, name), "utf8");
    const eol = text.includes("\r\n") ? "\r\n" : "\n";
    return { eol, lines: text.split(eol).filter((line) => line !== "") };
  };
  const movies = read("movies.csv");
  const [ratingHeader, ...ratingLines] = read("ratings.csv").lines;
  const users = new Set(options.users.map(String));
  const ratings = ratingLines.filter((line) => users.has(line.slice(0, line.indexOf(","))));
  const dir = join(scratch(), "ml-slice");
  mkdirSync(dir);
  // The files keep their line ends (CRLF in ml-latest-small).
  writeFileSync(
    join(dir, "movies.csv"),
    `${movies.lines.slice(0, options.movies + 1).join(movies.eol)}${movies.eol}`,
  );
  const eol = read("ratings.csv").eol;
  writeFileSync(
    join(dir, "ratings.csv"),
    `${[ratingHeader, ...ratings, ...(options.extraRatings ?? [])].join(eol)}${eol}`,
  );
  return { dir, ratings: ratings.map((line) => line.split(",")) };
}
