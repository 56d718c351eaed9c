import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { BROKERS, deleteTopics, freshTopic, HAS_BROKER } from "./test-support/kafka-broker.js";
import { eventsInTopic } from "./test-support/read-log.js";
import { ReplicaSet } from "./test-support/replicas.js";

const replicas = new ReplicaSet();
const topics: string[] = [];
afterEach(() => replicas.closeAll());
afterAll(() => deleteTopics(topics));

const CHILD = fileURLToPath(new URL("./test-support/ingest-child.ts", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("../", import.meta.url));

describe.skipIf(!HAS_BROKER)("a replica killed with SIGKILL (against a real broker)", () => {
  it("restarts from its snapshot and offset, catches up, and every acknowledged event is in the log", async () => {
    const topic = await freshTopic("crash");
    topics.push(topic);
    const dataDir = replicas.dataDir();
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, dataDir, BROKERS.join(","), topic], {
      cwd: PACKAGE_DIR,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const acked: string[] = [];
    let snapshots = 0;
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once("exit", (_, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve) => {
      createInterface({ input: child.stdout }).on("line", (line) => {
        const [kind, first, count] = line.split(" ");
        if (kind === "snapshot") snapshots++;
        if (kind === "acked") {
          for (let index = Number(first); index < Number(first) + Number(count); index++)
            acked.push(`child-7-${index}`);
        }
        // Killed mid-ingest, well after its second snapshot: appends are in flight.
        if (snapshots >= 2 && acked.length >= 1_500 && child.exitCode === null && !child.killed) {
          child.kill("SIGKILL");
          resolve();
        }
      });
    });
    expect(await exited).toBe("SIGKILL");

    const logged = new Set((await eventsInTopic(topic)).map((event) => event.event_id));
    expect(acked.filter((id) => !logged.has(id))).toEqual([]);

    const restarted = await replicas.open(topic, dataDir);
    expect(restarted.recovery.snapshot).not.toBeNull();
    expect(restarted.recovery.log.from).toBeGreaterThanOrEqual(800);
    expect(restarted.recovery.log.end).toBe(logged.size);
    await restarted.catchUp();
    expect(restarted.replication()).toMatchObject({ nextOffset: logged.size, lag: 0 });
    const fromZero = await replicas.open(topic);
    await fromZero.catchUp();
    expect(restarted.stateHash()).toBe(fromZero.stateHash());
  });
});
