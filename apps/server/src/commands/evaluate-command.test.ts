import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openEngine } from "@sibyl/engine";
import type { SibylEvent } from "@sibyl/events";
import { beforeAll, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const T0 = Date.UTC(2026, 0, 1);

function sibyl(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "evaluate", ...args], {
    cwd: packageDir,
    encoding: "utf8",
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Visitors browse one of three aisles in order: enough structure for placements to find. */
const events: SibylEvent[] = Array.from({ length: 240 }, (_, index) => {
  const visitor = Math.floor(index / 4);
  const aisle = visitor % 3;
  return {
    event_type: "DetailItemView",
    user_info: { visitor_id: `v${visitor}` },
    item: { item_id: `a${aisle}-${(visitor + (index % 4)) % 5}` },
    event_time: T0 + index * 60_000,
  };
});

let dir = "";
let file = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sibyl-evaluate-cli-"));
  file = join(dir, "events.ndjson");
  writeFileSync(file, `${events.map((event) => JSON.stringify(event)).join("\n")}\n`);
});

describe("sibyl evaluate", () => {
  it("writes report.json and report.html and prints the summary table", () => {
    const out = join(dir, "prequential");
    const run = sibyl(file, "--k", "5", "--target", "DetailItemView", "--out", out);
    expect(run.stderr).toMatch(/requests scored, \d+ events\/s, \d+ requests\/s; wrote/);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      /^placement\s+HR@5\s+P@5\s+R@5\s+NDCG@5\s+MRR@5\s+coverage\s+novelty\s+p50 µs\s+p99 µs$/,
    );
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual([
      "home_for_you",
      "product_page_similar",
      "baseline:popular",
      "baseline:random",
    ]);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(report).toMatchObject({
      format: "sibyl-evaluation-report",
      run: { protocol: "prequential", k: 5 },
    });
    expect(report.dataset.source).toBe("events.ndjson");
    expect(readFileSync(join(out, "report.html"), "utf8")).toMatch(/<svg class="chart"/);
  });

  it("runs holdout with what-ifs, and gives identical files for identical runs without timings", () => {
    const whatIf = join(dir, "content-only.json");
    writeFileSync(whatIf, JSON.stringify({ placement_id: "similar", strategies: [{ strategy: "content" }] }));
    const args = [
      "--protocol",
      "holdout",
      "--folds",
      "3",
      "--seed",
      "7",
      "--what-if",
      whatIf,
      "--no-timings",
    ];
    const first = sibyl(file, ...args, "--out", join(dir, "h1"));
    const second = sibyl(file, ...args, "--out", join(dir, "h2"));
    expect([first.status, second.status]).toEqual([0, 0]);
    expect(first.stdout).toMatch(/^what-if:content-only /m);
    expect(first.stdout).not.toMatch(/p99/);
    for (const name of ["report.json", "report.html"])
      expect(readFileSync(join(dir, "h2", name), "utf8")).toBe(readFileSync(join(dir, "h1", name), "utf8"));
    expect(JSON.parse(readFileSync(join(dir, "h1", "report.json"), "utf8")).series.axis).toBe("fold");
  });

  it("evaluates the event log of a data directory", async () => {
    const dataDir = join(dir, "data");
    const engine = await openEngine({ dataDir });
    await engine.append(events);
    await engine.close();
    const run = sibyl(
      "--data-dir",
      dataDir,
      "--placement",
      "product_page_similar",
      "--out",
      join(dir, "from-log"),
    );
    expect(run.status).toBe(0);
    expect(existsSync(join(dir, "from-log", "report.html"))).toBe(true);
  });

  it("exits 2 for a wrong command line, option, target or what-if, naming the problem", () => {
    const wrong = (...args: string[]) => {
      const run = sibyl(...args, "--out", join(dir, "never"));
      expect(run.status).toBe(2);
      return run.stderr;
    };
    expect(wrong()).toMatch(/name an events file or --data-dir/);
    expect(wrong(file, "--target", "HomePageView")).toMatch(/target "HomePageView"/);
    expect(wrong(file, "--placement", "nowhere")).toMatch(/"nowhere" is not defined; known placements: /);
    const badWhatIf = join(dir, "bad.json");
    writeFileSync(badWhatIf, JSON.stringify({ placement_id: "x", strategies: [{ strategy: "telepathy" }] }));
    expect(wrong(file, "--what-if", badWhatIf)).toMatch(/what-if .*bad\.json at \/strategies\/0\/strategy/);
    expect(wrong(file, "--warmup", "1.5")).toMatch(/--warmup/);
    expect(existsSync(join(dir, "never"))).toBe(false);
  });

  it("exits 1 when the input has invalid lines", () => {
    const broken = join(dir, "broken.ndjson");
    writeFileSync(broken, `${JSON.stringify(events[0])}\n{"event_type":"DetailItemView"}\n`);
    const run = sibyl(broken, "--out", join(dir, "broken"));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/1 invalid line\(s\): line 2/);
  });
});
