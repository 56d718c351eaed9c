import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openEngine } from "@sibyl/engine";
import { describe, expect, it } from "vitest";
import { EvaluationInputError } from "../errors/evaluation-errors.js";
import { item, T0, view } from "../test-events.js";
import { inTimeOrder, readEventLog, readEventsFile } from "./read-events.js";

const scratch = () => mkdtempSync(join(tmpdir(), "sibyl-evaluate-"));

describe("reading events", () => {
  it("reads a valid NDJSON file and refuses one with invalid lines, naming them", () => {
    const dir = scratch();
    const good = join(dir, "good.ndjson");
    writeFileSync(good, `${JSON.stringify(item("a"))}\n\n${JSON.stringify(view("v", "a", T0))}\n`);
    expect(readEventsFile(good)).toEqual([item("a"), view("v", "a", T0)]);
    const bad = join(dir, "bad.ndjson");
    writeFileSync(bad, `${JSON.stringify(item("a"))}\n{"event_type":"DetailItemView"}\nnot json\n`);
    let error: unknown;
    try {
      readEventsFile(bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EvaluationInputError);
    expect((error as EvaluationInputError).lines).toEqual([2, 3]);
    expect((error as Error).message).toMatch(/2 invalid line\(s\): line 2: \/user_info/);
  });

  it("reads the event log of a data directory, and says so when there is none", async () => {
    const dataDir = scratch();
    const engine = await openEngine({ dataDir });
    await engine.append([item("a"), view("v", "a", T0)]);
    await engine.close();
    expect(await readEventLog(dataDir)).toEqual([item("a"), view("v", "a", T0)]);
    await expect(readEventLog(join(dataDir, "missing"))).rejects.toThrow(/no event log in/);
  });

  it("orders by event time, stably, keeping events without a time after their predecessor", () => {
    const late = view("v", "late", T0 + 10);
    const early = view("v", "early", T0);
    const { event_time: _t, ...untimed } = view("v", "untimed", T0);
    expect(
      inTimeOrder([item("a"), late, untimed, early]).map((e) => ("item" in e ? e.item.item_id : "a")),
    ).toEqual(["a", "early", "late", "untimed"]);
  });
});
