import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SibylEvent } from "@sibyl/events";
import { describe, expect, it } from "vitest";
import type { EventSink } from "./event-sink.js";
import type { ImportSource, SourceItem } from "./import-source.js";
import { OutputFileError, openNdjsonOutSink } from "./ndjson-out-sink.js";
import { runImport } from "./run-import.js";
import { scratch, sibyl } from "./test-support.js";

const view = (visitor: string, item: string): SibylEvent => ({
  event_type: "DetailItemView",
  event_time: 1_767_225_600_000,
  user_info: { visitor_id: visitor },
  item: { item_id: item },
});

function source(items: SourceItem[], failAfter?: number): ImportSource {
  let read = 0;
  return {
    path: "test",
    size: undefined,
    bytesRead: 0,
    get linesRead() {
      return read;
    },
    async *items() {
      for (const item of items) {
        if (read === failAfter) throw Object.assign(new Error("the disk went away"), { code: "EIO" });
        read++;
        yield item;
      }
    },
    close: async () => {},
  };
}

describe("import destinations", () => {
  it("writes NDJSON with --out, for ndjson input too, leaving no partial file behind", () => {
    const dir = scratch();
    const input = join(dir, "in.ndjson");
    const out = join(dir, "out.ndjson");
    const events = [view("ann", "tent"), view("bob", "mat")];
    writeFileSync(
      input,
      `${events.map((event) => JSON.stringify(event)).join("\n")}\n{"event_type":"Nope"}\n`,
    );
    const run = sibyl("import", "ndjson", input, "--out", out, "--no-progress");
    expect(run.status).toBe(1);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({
      out,
      eventsImported: 2,
      linesRejected: 1,
      eventTypes: { DetailItemView: 2 },
    });
    expect(summary).not.toHaveProperty("dataDir");
    expect(summary).not.toHaveProperty("duplicates");
    expect(readFileSync(out, "utf8")).toBe(`${events.map((event) => JSON.stringify(event)).join("\n")}\n`);
    expect(readdirSync(dir).sort()).toEqual(["in.ndjson", "out.ndjson"]);

    const piped = sibyl("import", "ndjson", input, "--out", "-", "--no-progress");
    expect(piped.stdout).toBe(readFileSync(out, "utf8"));
    expect(JSON.parse(piped.stderr)).toMatchObject({ out: "-", eventsImported: 2 });
  });

  it("takes exactly one destination: --out excludes --data-dir and --durability", () => {
    const dir = scratch();
    const input = join(dir, "in.ndjson");
    writeFileSync(input, `${JSON.stringify(view("ann", "tent"))}\n`);
    const both = sibyl("import", "ndjson", input, "--out", join(dir, "o"), "--data-dir", join(dir, "d"));
    expect(both.status).toBe(2);
    expect(both.stderr).toBe("sibyl: --data-dir and --out exclude each other: the events go to one place\n");
    const durable = sibyl("import", "otto", input, "--out", join(dir, "o"), "--durability", "always");
    expect(durable.status).toBe(2);
    const missing = sibyl("import", "ndjson", input, "--out", join(dir, "no", "such", "dir", "o"));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^sibyl: cannot write .*o: ENOENT/);
    expect(existsSync(join(dir, "d"))).toBe(false);
    expect(readdirSync(dir)).toEqual(["in.ndjson"]);
  });

  it("removes the partial output when the input fails midway, and says why the import stopped", async () => {
    const dir = scratch();
    const out = join(dir, "out.ndjson");
    const sink: EventSink = await openNdjsonOutSink(out);
    const items: SourceItem[] = [1, 2, 3].map((line) => ({
      kind: "event",
      line,
      event: view("ann", `i${line}`),
    }));
    const summary = await runImport("test", source(items, 2), sink, { batch: 1, progress: false });
    expect(summary).toMatchObject({ eventsImported: 2, error: "stopped after line 2: the disk went away" });
    expect(readdirSync(dir)).toEqual([]);
    await expect(openNdjsonOutSink(join(dir, "missing", "out.ndjson"))).rejects.toThrow(OutputFileError);
  });

  it("counts events per type, skipped lines per reason and rejections by file and line", async () => {
    const dir = scratch();
    const items: SourceItem[] = [
      { kind: "event", line: 3, event: view("ann", "a"), file: "b.csv" },
      { kind: "skipped", line: 4, reason: "not wanted" },
      { kind: "rejected", rejection: { line: 9, errors: [{ pointer: "", message: "bad" }], file: "b.csv" } },
      { kind: "rejected", rejection: { line: 7, errors: [{ pointer: "", message: "bad" }], file: "a.csv" } },
      { kind: "skipped", line: 5, reason: "not wanted" },
      { kind: "blank", line: 6 },
    ];
    const sink = await openNdjsonOutSink(join(dir, "out.ndjson"));
    const summary = await runImport("test", source(items), sink, { batch: 10, progress: false });
    expect(summary).toMatchObject({
      linesRead: 6,
      blankLines: 1,
      eventsImported: 1,
      eventTypes: { DetailItemView: 1 },
      skipped: 2,
      skippedReasons: { "not wanted": 2 },
      linesRejected: 2,
    });
    expect(summary.rejections.map(({ file, line }) => `${file}:${line}`)).toEqual(["a.csv:7", "b.csv:9"]);
  });
});
