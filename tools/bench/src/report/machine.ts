import { availableParallelism, cpus, totalmem } from "node:os";

export interface MachineFacts {
  nproc: number;
  cpu: string;
  node: string;
  platform: string;
  memoryGiB: number;
}

/** What a figure was measured on; printed beside every benchmark result. */
export function machineFacts(): MachineFacts {
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}
