import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openEngine } from "@sibyl/engine";
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

const views: SibylEvent[] = Array.from({ length: 30 }, (_, index) => ({
  event_type: "DetailItemView",
  user_info: { visitor_id: `v${index % 4}` },
  item: { item_id: `sku-${index % 6}` },
  event_time: T0 + index * 1000,
}));

describe("sibyl snapshot export / import", () => {
  it("moves the newest snapshot to another data directory, which starts from it", async () => {
    const source = mkdtempSync(join(tmpdir(), "sibyl-export-"));
    const engine = await openEngine({ dataDir: source });
    await engine.append(views.slice(0, 20));
    await engine.snapshot();
    await engine.append(views.slice(20));
    const hashAtSnapshot = (await openEngine({ dataDir: source, until: new Date(T0 + 19_500) })).stateHash();
    await engine.close();

    const file = join(mkdtempSync(join(tmpdir(), "sibyl-export-file-")), "state.snap");
    const exported = sibyl("snapshot", "export", file, "--data-dir", source);
    expect(exported.stderr).toBe("");
    expect(JSON.parse(exported.stdout)).toMatchObject({ log: "file", events: 20, stateHash: hashAtSnapshot });

    const target = mkdtempSync(join(tmpdir(), "sibyl-import-"));
    const imported = sibyl("snapshot", "import", file, "--data-dir", target);
    expect(imported.status).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ events: 20, stateHash: hashAtSnapshot });
    expect(readdirSync(join(target, "snapshots"))).toHaveLength(1);
  });

  it("exits 1 naming the problem when there is nothing to export or the file is no snapshot", () => {
    const empty = mkdtempSync(join(tmpdir(), "sibyl-export-empty-"));
    const nothing = sibyl("snapshot", "export", join(empty, "out.snap"), "--data-dir", empty);
    expect(nothing.status).toBe(1);
    expect(nothing.stderr).toContain("holds no snapshot");
    const junk = join(empty, "junk.snap");
    writeFileSync(junk, "not a snapshot at all");
    const refused = sibyl("snapshot", "import", junk, "--data-dir", empty);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("not a Sibyl snapshot");
  });
});
