import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import type { SibylEvent } from "@sibyl/events";
import { createEngine } from "../engine.js";
import { comparePositions, EventLog, type LogPosition } from "../log/index.js";
import { freshDataDir, sampleEvent } from "./durable-test-support.js";
import { openEngine } from "./open-engine.js";

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 25);
// The child runs in this very process image (node --import tsx), not under the tsx CLI, which would put the
// ingesting process one level further down where SIGKILL does not reach it.
const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const child = fileURLToPath(new URL("./crash-child.ts", import.meta.url));

/** Runs the ingesting child until `killAfterMs` after its first acknowledgement, then SIGKILLs it. */
function ingestUntilKilled(dataDir: string, seed: number, killAfterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, ["--import", "tsx", child, dataDir, String(seed)], {
      cwd: packageDir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let acknowledged = -1;
    let buffered = "";
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    process_.stdout.on("data", (data: Buffer) => {
      buffered += data.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        const [word, count] = line.split(" ");
        if (word === "start") acknowledged = Number(count);
        if (word === "ack") {
          acknowledged = Number(count);
          timer ??= setTimeout(() => process_.kill("SIGKILL"), killAfterMs);
        }
      }
    });
    process_.stderr.on("data", (data: Buffer) => {
      stderr += data.toString("utf8");
    });
    process_.on("exit", (_code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") resolve(acknowledged);
      else reject(new Error(`ingesting child exited on its own (${_code}): ${stderr}`));
    });
  });
}

describe("crash recovery", () => {
  it(
    `loses nothing acknowledged across ${ROUNDS} SIGKILLs, and recovers the state of a clean replay`,
    async () => {
      const dataDir = freshDataDir();
      // The clean replay is kept across rounds and fed only what each round added, so a long run stays linear.
      const clean = createEngine();
      let logged = 0;
      let cursor: LogPosition | undefined;
      let seed = 7;
      for (let round = 0; round < ROUNDS; round++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        const acknowledged = await ingestUntilKilled(dataDir, seed, 20 + (seed % 300));
        const recovered = await openEngine({ dataDir, snapshotEvery: 150 });
        const { log } = await EventLog.open({ dir: join(dataDir, "log"), readOnly: true });
        for (const record of log.read(cursor)) {
          if (cursor && comparePositions(record.position, cursor) <= 0) continue;
          const event = JSON.parse(record.payload.toString("utf8")) as SibylEvent;
          // The log holds the stream in order: every acknowledged event, and maybe a few written but not yet acknowledged.
          expect(event, `round ${round}, record ${logged}`).toEqual(sampleEvent(logged));
          clean.apply(event);
          logged++;
          cursor = record.position;
        }
        await log.close();
        expect(logged, `round ${round}`).toBeGreaterThanOrEqual(acknowledged);
        expect(recovered.stateHash(), `round ${round}`).toBe(clean.stateHash());
        await recovered.close();
      }
    },
    60_000 + ROUNDS * 5_000,
  );
});
