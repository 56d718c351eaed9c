import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { deleteTopic } from "@sibyl/kafka";
import { afterAll, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const BROKERS = process.env.SIBYL_KAFKA_BROKERS ?? "";
if (BROKERS === "") {
  if (process.env.CI)
    throw new Error("CI is set but SIBYL_KAFKA_BROKERS is not: start scripts/ci/kafka.sh first");
  console.warn("\n*** SKIPPING the `sibyl kafka` command test: SIBYL_KAFKA_BROKERS is not set ***\n");
}

function sibyl(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: packageDir,
    encoding: "utf8",
    env: { ...process.env, SIBYL_KAFKA_BROKERS: BROKERS },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const topics: string[] = [];
afterAll(async () => {
  for (const topic of topics) await deleteTopic({ brokers: BROKERS.split(","), topic });
});

describe.skipIf(BROKERS === "")("sibyl kafka (against a real broker)", () => {
  it("creates the event log topic once, and rewrites a partition only into another, empty one", () => {
    const [source, target] = [
      `sibyl-test-cli-${randomUUID().slice(0, 8)}`,
      `sibyl-test-cli-${randomUUID().slice(0, 8)}`,
    ];
    topics.push(source, target);
    expect(JSON.parse(sibyl("kafka", "create-topic", "--kafka-topic", source).stdout)).toEqual({
      topic: source,
      result: "created",
    });
    expect(JSON.parse(sibyl("kafka", "create-topic", "--kafka-topic", source).stdout).result).toBe("exists");
    expect(
      sibyl("kafka", "create-topic", "--kafka-topic", target, "--config", "retention.ms=86400000").status,
    ).toBe(0);

    const itself = sibyl("kafka", "rewrite", "--from", source, "--to", source);
    expect(itself.status).toBe(1);
    expect(itself.stderr).toContain("cannot be rewritten into itself");
    const rewrite = sibyl("kafka", "rewrite", "--from", source, "--to", target);
    expect(rewrite.stderr).toBe("");
    expect(JSON.parse(rewrite.stdout)).toMatchObject({ end: 0, copied: 0, redacted: 0 });
    expect(sibyl("kafka", "rewrite", "--from", `${source}-missing`, "--to", target).stderr).toContain(
      "does not exist",
    );
  });
});
