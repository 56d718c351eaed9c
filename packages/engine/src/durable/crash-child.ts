// Test support for crash-recovery.test.ts: ingests a deterministic stream into a data directory with
// durability "always", printing "ack <n>" after each acknowledged append (n = events acknowledged in total).
// The test kills this process with SIGKILL at random moments and checks what survived.
import { sampleEvent } from "./durable-test-support.js";
import { openEngine } from "./open-engine.js";

const [dataDir, seedText] = process.argv.slice(2);
if (!dataDir || !seedText) throw new Error("usage: crash-child <dataDir> <seed>");
const engine = await openEngine({ dataDir, durability: "always", snapshotEvery: 150, snapshotsKept: 2 });
const slice = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, offset) => sampleEvent(from + offset));
let next = engine.stats().totalEvents;
let seed = Number(seedText);
const random = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};
process.stdout.write(`start ${next}\n`);
for (;;) {
  const size = 1 + Math.floor(random() * 40);
  // Appends overlap, as concurrent requests to a server do: group commit shares their fsyncs.
  const batches = [slice(next, next + size), slice(next + size, next + 2 * size)];
  next += 2 * size;
  const results = await Promise.all(batches.map((batch) => engine.append(batch)));
  const acknowledged = results.reduce((sum, result) => sum + result.accepted, 0);
  process.stdout.write(`ack ${next} ${acknowledged}\n`);
}
