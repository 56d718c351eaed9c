import { once } from "node:events";
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { SibylEvent } from "@sibyl/events";
import type { EventSink } from "./event-sink.js";

/** An output file that cannot be created or written (exit code 1, one clear line). */
export class OutputFileError extends Error {}

/**
 * An NDJSON file as the destination: one validated event per line, exactly as a later `sibyl import ndjson` or
 * `POST /v1/events` takes them. The file is written beside its final name and renamed into place once complete
 * and fsynced, so a reader never sees half of it; `-` writes to standard output instead.
 */
export async function openNdjsonOutSink(out: string): Promise<EventSink> {
  if (out === "-") return stdoutSink();
  const partial = join(dirname(out), `.${basename(out)}.${process.pid}.partial`);
  const handle = await open(partial, "w").catch((error: unknown) => {
    throw new OutputFileError(`cannot write ${out}: ${(error as Error).message}`);
  });
  return {
    destination: { out },
    usesStdout: false,
    async append(events) {
      await handle.write(lines(events));
      return { accepted: events.length, refused: [] };
    },
    close: (complete) => finish(handle, partial, out, complete),
    report: () => ({}),
  };
}

async function finish(handle: FileHandle, partial: string, out: string, complete: boolean): Promise<void> {
  try {
    if (complete) await handle.sync();
  } finally {
    await handle.close();
  }
  if (complete) await rename(partial, out);
  else await rm(partial, { force: true });
}

function stdoutSink(): EventSink {
  // A reader that goes away (a closed pipe) must stop the import with its error, not crash the process.
  let failure: Error | undefined;
  const onError = (error: Error) => {
    failure ??= error;
  };
  process.stdout.on("error", onError);
  return {
    destination: { out: "-" },
    usesStdout: true,
    async append(events) {
      if (failure) throw failure;
      if (!process.stdout.write(lines(events))) await once(process.stdout, "drain");
      if (failure) throw failure;
      return { accepted: events.length, refused: [] };
    },
    async close() {
      process.stdout.off("error", onError);
      if (failure) throw failure;
    },
    report: () => ({}),
  };
}

function lines(events: readonly SibylEvent[]): string {
  let text = "";
  for (const event of events) text += `${JSON.stringify(event)}\n`;
  return text;
}
