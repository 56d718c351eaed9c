import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createEngine, openEngine } from "@sibyl/engine";
import type { SibylEvent } from "@sibyl/events";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const T0 = 1_767_225_600_000;

function sibyl(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: packageDir,
    encoding: "utf8",
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), "sibyl-import-"));
}

/** Writes `content` to a fresh file and imports it into a fresh data directory. */
function importText(content: string, ...args: string[]) {
  const dir = scratch();
  const file = join(dir, "events.ndjson");
  const dataDir = join(dir, "data");
  writeFileSync(file, content);
  const run = sibyl("import", "ndjson", file, "--data-dir", dataDir, ...args);
  return { ...run, dataDir, summary: run.stdout ? JSON.parse(run.stdout) : undefined };
}

function shopping(count: number): SibylEvent[] {
  return Array.from({ length: count }, (_, index): SibylEvent => {
    const visitor = { visitor_id: `v${index % 97}` };
    const time = T0 + index * 1000;
    if (index % 50 === 0)
      return {
        event_type: "ItemUpsert",
        item_id: `sku-${index % 31}`,
        title: `Item ${index}`,
        event_time: time,
      };
    if (index % 10 === 3)
      return {
        event_type: "AddToCart",
        user_info: visitor,
        items: [{ item_id: `sku-${index % 31}` }],
        event_time: time,
      };
    return {
      event_type: "DetailItemView",
      user_info: visitor,
      item: { item_id: `sku-${index % 31}` },
      event_time: time,
    };
  });
}

const ndjson = (events: SibylEvent[], newline = "\n") =>
  events.map((event) => JSON.stringify(event)).join(newline) + newline;

describe("sibyl import ndjson", () => {
  it("imports a clean file into a data directory equal to an engine fed the same events, exiting 0", async () => {
    const events = shopping(300);
    const run = importText(ndjson(events));
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.summary).toMatchObject({
      format: "ndjson",
      linesRead: 300,
      blankLines: 0,
      eventsImported: 300,
      linesRejected: 0,
      rejections: [],
      durability: "none",
    });
    expect(run.summary.durationSeconds).toBeGreaterThanOrEqual(0);
    expect(run.summary.eventsPerSecond).toBeGreaterThan(0);

    const reference = createEngine();
    reference.applyBatch(events);
    const engine = await openEngine({ dataDir: run.dataDir });
    expect(engine.stats().totalEvents).toBe(300);
    expect(engine.stateHash()).toBe(reference.stateHash());
    await engine.close();
  });

  it("imports the valid lines of a file with bad ones, reports each bad line with its pointer, exiting 1", async () => {
    const [first, second, third] = shopping(3);
    const lines = [
      JSON.stringify(first), // 1
      "", // 2
      "{not json", // 3
      JSON.stringify({ event_type: "DetailItemView", item: { item_id: "a" } }), // 4: no user_info
      "   ", // 5
      JSON.stringify(second), // 6
      JSON.stringify({ event_type: "NoSuchEvent" }), // 7
      JSON.stringify({ event_type: "RecoRequest", user_info: { visitor_id: "v" }, placement: "nowhere" }), // 8
      "[1,2]", // 9
      JSON.stringify(third), // 10
    ];
    const run = importText(`${lines.join("\n")}\n`);
    expect(run.status).toBe(1);
    expect(run.summary).toMatchObject({ linesRead: 10, blankLines: 2, eventsImported: 3, linesRejected: 5 });
    const rejections = run.summary.rejections as {
      line: number;
      event_type?: string;
      errors: { pointer: string; message: string }[];
    }[];
    expect(rejections.map((rejection) => rejection.line)).toEqual([3, 4, 7, 8, 9]);
    expect(rejections[0]!.errors[0]).toMatchObject({
      pointer: "",
      message: expect.stringMatching(/not valid JSON/),
    });
    expect(rejections[1]).toMatchObject({
      event_type: "DetailItemView",
      errors: [{ pointer: "/user_info" }],
    });
    expect(rejections[2]!.errors[0]!.pointer).toBe("/event_type");
    expect(rejections[3]).toMatchObject({ event_type: "RecoRequest", errors: [{ pointer: "/placement" }] });
    expect(rejections[4]!.errors[0]!.message).toMatch(/must be a JSON object/);

    const engine = await openEngine({ dataDir: run.dataDir });
    expect(engine.stats().totalEvents).toBe(3);
    await engine.close();
  });

  it("lists only the first 20 rejected lines but counts them all", () => {
    const run = importText(`${Array.from({ length: 25 }, (_, index) => `bad ${index}`).join("\n")}\n`);
    expect(run.status).toBe(1);
    expect(run.summary.linesRejected).toBe(25);
    expect(run.summary.rejections).toHaveLength(20);
    expect(run.summary.rejections[19].line).toBe(20);
  });

  it("reads CRLF line ends and a last line without a newline", async () => {
    const events = shopping(5);
    const run = importText(ndjson(events, "\r\n").slice(0, -2), "--batch", "2");
    expect(run.status).toBe(0);
    expect(run.summary).toMatchObject({ linesRead: 5, eventsImported: 5, linesRejected: 0 });
    const reference = createEngine();
    reference.applyBatch(events);
    const engine = await openEngine({ dataDir: run.dataDir });
    expect(engine.stateHash()).toBe(reference.stateHash());
    await engine.close();
  });

  it("imports a 50,000-line file", async () => {
    const run = importText(ndjson(shopping(50_000)), "--durability", "always");
    expect(run.status).toBe(0);
    expect(run.summary).toMatchObject({ linesRead: 50_000, eventsImported: 50_000, linesRejected: 0 });
    const engine = await openEngine({ dataDir: run.dataDir });
    expect(engine.stats().totalEvents).toBe(50_000);
    await engine.close();
  });

  it("exits 1 with one clear line when the file cannot be read, creating no data directory", () => {
    const dir = scratch();
    const run = sibyl("import", "ndjson", join(dir, "missing.ndjson"), "--data-dir", join(dir, "data"));
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`sibyl: cannot read ${join(dir, "missing.ndjson")}: no such file\n`);
    expect(existsSync(join(dir, "data"))).toBe(false);
    expect(sibyl("import", "ndjson", dir, "--data-dir", join(dir, "data")).stderr).toContain(
      "is a directory",
    );
  });

  it("exits 2 on a wrong command line", () => {
    const dir = scratch();
    expect(sibyl("import", "ndjson").status).toBe(2);
    expect(sibyl("import", "parquet", "x").status).toBe(2);
    expect(sibyl("import", "ndjson", "x", "--batch", "0").status).toBe(2);
    expect(sibyl("import", "ndjson", "x", "--durability", "sometimes").status).toBe(2);
    const help = sibyl("import", "ndjson", "--help", "--data-dir", dir);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("the server must not be running");
  });
});
