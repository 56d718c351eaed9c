import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createEventLogTopic, deleteTopic } from "../topic-admin.js";

/**
 * The broker the Kafka tests run against: SIBYL_KAFKA_BROKERS (scripts/ci/kafka.sh start prints it). Without
 * one the tests are skipped, loudly — except in CI, where a missing broker is a failure.
 */
export const BROKERS = (process.env.SIBYL_KAFKA_BROKERS ?? "").split(",").filter(Boolean);
export const HAS_BROKER = BROKERS.length > 0;

if (!HAS_BROKER) {
  if (process.env.CI) {
    throw new Error(
      "CI is set but SIBYL_KAFKA_BROKERS is not: start a broker with `scripts/ci/kafka.sh start` and export its address",
    );
  }
  console.warn(
    "\n*** SKIPPING the Kafka tests: no broker. Run `export SIBYL_KAFKA_BROKERS=$(scripts/ci/kafka.sh start)` first. ***\n",
  );
}

const KAFKA_SCRIPT = fileURLToPath(new URL("../../../../scripts/ci/kafka.sh", import.meta.url));

/** Whether the broker is the one scripts/ci/kafka.sh runs — then the script and its jars are on this machine. */
export function brokerIsScripted(): boolean {
  try {
    return execFileSync("bash", [KAFKA_SCRIPT, "status"], { encoding: "utf8" }).trim() === BROKERS.join(",");
  } catch {
    // `status` exits 1 when the script runs no broker: the answer is no.
    return false;
  }
}

/** A broker of a test's own, started with scripts/ci/kafka.sh, so restarting it disturbs no other test. */
export interface OwnBroker {
  brokers: string[];
  /** Stops it (SIGKILL when `kill`) and starts it again on its data; resolves once it serves. */
  restart(kill: boolean): Promise<void>;
  /** Stops it and deletes its data. */
  stop(): Promise<void>;
}

export async function startOwnBroker(name: string): Promise<OwnBroker> {
  const env = { ...process.env, SIBYL_KAFKA_RUN: `/tmp/sibyl-kafka-${name}`, SIBYL_KAFKA_PORT: "29092" };
  const run = (...args: string[]) => promisify(execFile)("bash", [KAFKA_SCRIPT, ...args], { env });
  const { stdout } = await run("start");
  return {
    brokers: stdout.trim().split(","),
    restart: async (kill) => {
      await run("restart", ...(kill ? ["--kill"] : []));
    },
    stop: async () => {
      await run("stop");
    },
  };
}

/** A new topic of its own for one test. */
export async function freshTopic(prefix: string, brokers = BROKERS): Promise<string> {
  const topic = `sibyl-test-${prefix}-${randomUUID().slice(0, 8)}`;
  await createEventLogTopic({ brokers, topic });
  return topic;
}

export async function deleteTopics(topics: string[]): Promise<void> {
  for (const topic of topics) await deleteTopic({ brokers: BROKERS, topic });
}
