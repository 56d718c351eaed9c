import { open } from "node:fs/promises";
import type { Readable } from "node:stream";

/** A file to import that cannot be opened (exit code 1, one clear line). */
export class InputFileError extends Error {}

/** A file read as a stream of chunks, counting the bytes read for progress. */
export interface InputFile {
  readonly path: string;
  /** Its size in bytes; undefined for standard input or a pipe. */
  readonly size: number | undefined;
  readonly bytesRead: number;
  /** The content, once, in chunks of about a MiB. */
  chunks(): AsyncIterable<Buffer>;
  close(): Promise<void>;
}

const CHUNK_BYTES = 1 << 20;

/** Opens `path` for streaming (`-` is standard input), or throws an InputFileError that says why it cannot. */
export async function openInputFile(path: string): Promise<InputFile> {
  if (path === "-") return streamed(path, undefined, process.stdin, async () => {});
  const handle = await open(path, "r").catch((error: unknown) => {
    throw new InputFileError(`cannot read ${path}: ${reason(error)}`);
  });
  const stat = await handle.stat();
  if (stat.isDirectory()) {
    await handle.close();
    throw new InputFileError(`cannot read ${path}: it is a directory`);
  }
  const stream = handle.createReadStream({ highWaterMark: CHUNK_BYTES, autoClose: false });
  return streamed(path, stat.isFile() ? stat.size : undefined, stream, () => handle.close());
}

function streamed(
  path: string,
  size: number | undefined,
  stream: Readable,
  close: () => Promise<void>,
): InputFile {
  let bytesRead = 0;
  return {
    path,
    size,
    get bytesRead() {
      return bytesRead;
    },
    async *chunks() {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytesRead += chunk.length;
        yield chunk;
      }
    },
    close,
  };
}

function reason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return (error as Error).message;
  }
}
