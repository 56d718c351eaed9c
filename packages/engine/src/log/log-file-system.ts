/**
 * The small subset of `node:fs` the event log uses, as an interface so tests can inject faults (ENOSPC, EIO,
 * torn writes) and count fsyncs without touching a real failing disk.
 *
 * Why two styles: everything that changes the disk is asynchronous, so an fsync runs on libuv's thread pool and
 * appends arriving meanwhile can join the next group commit instead of blocking the event loop; reading is
 * synchronous, so replay can be a plain `for … of` feeding the engine without an await per record.
 */
import * as fs from "node:fs";

/** Open modes the log needs: read-only, read-write on an existing file, create-or-truncate for writing. */
export type LogOpenMode = "r" | "r+" | "w";

export interface LogFileSystem {
  open(path: string, mode: LogOpenMode): Promise<number>;
  /** Writes up to `length` bytes of `buffer` from `offset` at file `position`; resolves with bytes written. */
  write(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** Reads up to `length` bytes into `buffer` at `offset` from file `position`; resolves with bytes read. */
  read(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  fsync(fd: number): Promise<void>;
  ftruncate(fd: number, length: number): Promise<void>;
  close(fd: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<{ size: number }>;
  /** Creates the directory and its parents; no error if it exists. */
  mkdir(path: string): Promise<void>;

  openSync(path: string, mode: "r"): number;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  closeSync(fd: number): void;
}

/** The real thing, over `node:fs`'s callback API (no FileHandle objects: plain fds are cheaper and injectable). */
export const nodeFileSystem: LogFileSystem = {
  open: (path, mode) => call<number>((cb) => fs.open(path, mode, 0o644, cb)),
  write: (fd, buffer, offset, length, position) =>
    call<number>((cb) => fs.write(fd, buffer, offset, length, position, (err, written) => cb(err, written))),
  read: (fd, buffer, offset, length, position) =>
    call<number>((cb) =>
      fs.read(fd, buffer, offset, length, position, (err, bytesRead) => cb(err, bytesRead)),
    ),
  fsync: (fd) => call<void>((cb) => fs.fsync(fd, (err) => cb(err, undefined))),
  ftruncate: (fd, length) => call<void>((cb) => fs.ftruncate(fd, length, (err) => cb(err, undefined))),
  close: (fd) => call<void>((cb) => fs.close(fd, (err) => cb(err, undefined))),
  rename: (from, to) => fs.promises.rename(from, to),
  unlink: (path) => fs.promises.unlink(path),
  readdir: (path) => fs.promises.readdir(path),
  stat: (path) => fs.promises.stat(path),
  mkdir: async (path) => {
    await fs.promises.mkdir(path, { recursive: true });
  },
  openSync: (path, mode) => fs.openSync(path, mode),
  readSync: (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
  closeSync: (fd) => fs.closeSync(fd),
};

function call<T>(start: (cb: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    start((err, value) => (err ? reject(err) : resolve(value)));
  });
}

/** Writes all of `buffer` at `position`, looping over short writes (which a full disk can produce). */
export async function writeFully(fsys: LogFileSystem, fd: number, buffer: Uint8Array, position: number) {
  let done = 0;
  while (done < buffer.length) {
    const n = await fsys.write(fd, buffer, done, buffer.length - done, position + done);
    if (n <= 0) throw Object.assign(new Error("write made no progress"), { code: "EIO" });
    done += n;
  }
}

/** Reads exactly `length` bytes at `position` (fewer only at end of file); returns how many were read. */
export function readFullySync(
  fsys: LogFileSystem,
  fd: number,
  buffer: Uint8Array,
  length: number,
  position: number,
): number {
  let done = 0;
  while (done < length) {
    const n = fsys.readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/**
 * Makes a directory entry change (create, rename, unlink) durable. POSIX only promises a new or renamed file
 * survives a crash once its directory has been fsynced, which is how LevelDB and SQLite do it too.
 */
export async function fsyncDirectory(fsys: LogFileSystem, dir: string): Promise<void> {
  const fd = await fsys.open(dir, "r");
  try {
    await fsys.fsync(fd);
  } finally {
    await fsys.close(fd);
  }
}
