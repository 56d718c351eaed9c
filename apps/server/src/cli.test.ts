import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSnapshot, openEngine } from "@sibyl/engine";
import type { SibylEvent } from "@sibyl/events";
import { beforeAll, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const T0 = 1_767_225_600_000;

function sibyl(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: packageDir,
    encoding: "utf8",
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const views: SibylEvent[] = Array.from({ length: 40 }, (_, index) => ({
  event_type: "DetailItemView",
  user_info: { visitor_id: `v${index % 5}` },
  item: { item_id: `sku-${index % 7}` },
  event_time: T0 + index * 1000,
}));

let dataDir = "";
let positions: { segment: number; offset: number }[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sibyl-cli-"));
  const engine = await openEngine({ dataDir });
  positions = (await engine.append(views)).positions;
  await engine.close();
});

describe("sibyl log", () => {
  it("stat counts records and segments", () => {
    const run = sibyl("log", "stat", "--data-dir", dataDir);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ records: 40, segments: [{ segment: 1 }], tornTail: null });
  });

  it("tail prints the last records with their positions", () => {
    const run = sibyl("log", "tail", "-n", "2", "--data-dir", dataDir);
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.position)).toEqual(
      positions.slice(-2).map((p) => `${p.segment}:${p.offset}`),
    );
    expect(lines[1].event).toEqual(views[39]);
  });

  it("verify passes a sound log and names file and offset of damage in the middle, exiting 1", () => {
    const sound = sibyl("log", "verify", "--data-dir", dataDir);
    expect(sound.status).toBe(0);
    expect(sound.stdout).toMatch(/^40 records verified, log ends at 1:\d+/);
    const damaged = mkdtempSync(join(tmpdir(), "sibyl-cli-damaged-"));
    const source = join(dataDir, "log", readdirSync(join(dataDir, "log"))[0]!);
    const copy = readFileSync(source);
    copy[positions[5]!.offset + 12]! ^= 0xff;
    mkdirSync(join(damaged, "log"));
    writeFileSync(join(damaged, "log", "000000000001.log"), copy);
    const run = sibyl("log", "verify", "--data-dir", damaged);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`000000000001.log at byte ${positions[5]!.offset}`);
  });
});

describe("sibyl replay", () => {
  it("rebuilds a past moment and saves it as a snapshot equal to the matching prefix", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "sibyl-cli-out-")), "moment.snap");
    const run = sibyl(
      "replay",
      "--data-dir",
      dataDir,
      "--until",
      `${positions[10]!.segment}:${positions[10]!.offset}`,
      "--out",
      out,
    );
    expect(run.stderr).toBe("");
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ events: 10, replayed: 10 });
    const { engine } = loadSnapshot(out);
    expect(engine.stateHash()).toBe(summary.stateHash);
  });

  it("takes an ISO time", () => {
    const run = sibyl("replay", "--data-dir", dataDir, "--until", new Date(T0 + 19_500).toISOString());
    expect(JSON.parse(run.stdout)).toMatchObject({ events: 20 });
  });

  it("exits 2 on a wrong command line and 1 on a moment it cannot read", () => {
    expect(sibyl("replay", "--data-dir", dataDir).status).toBe(2);
    expect(sibyl("replay", "--data-dir", dataDir, "--until", "yesterday-ish")).toMatchObject({ status: 1 });
    const missing = sibyl("log", "stat", "--data-dir", join(dataDir, "nowhere"));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("no event log in");
  });
});

describe("sibyl snapshot", () => {
  it("writes a snapshot of the data directory", () => {
    const run = sibyl("snapshot", "--data-dir", dataDir);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).snapshot.events).toBe(40);
    expect(readdirSync(join(dataDir, "snapshots"))).toHaveLength(1);
  });
});
