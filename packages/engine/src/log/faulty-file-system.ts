/**
 * Test support: a LogFileSystem over node:fs that counts calls and fails on demand, the way SQLite's test VFS
 * simulates full disks and I/O errors. A failing write first writes part of its bytes, like a real disk that
 * fills up mid-write, so tests see torn writes and not only clean refusals.
 */
import type { LogFileSystem, LogOpenMode } from "./log-file-system.js";
import { nodeFileSystem } from "./log-file-system.js";

export type FileOperation = Exclude<keyof LogFileSystem, "openSync" | "readSync" | "closeSync">;

interface Fault {
  code: string;
  /** Calls still allowed to succeed before the fault bites. */
  skip: number;
}

export class FaultyFileSystem implements LogFileSystem {
  private readonly counts = new Map<string, number>();
  private readonly faults = new Map<FileOperation, Fault>();
  /** Awaited before each fsync: lets a test hold an fsync "in flight". */
  beforeFsync: (() => Promise<void>) | null = null;

  constructor(private readonly inner: LogFileSystem = nodeFileSystem) {}

  /** Makes `op` fail with a system error `code` (after `skip` more successful calls) until heal(). */
  fail(op: FileOperation, code: string, skip = 0): void {
    this.faults.set(op, { code, skip });
  }

  /** Clears the fault of `op`, or every fault. */
  heal(op?: FileOperation): void {
    if (op === undefined) this.faults.clear();
    else this.faults.delete(op);
  }

  count(op: keyof LogFileSystem): number {
    return this.counts.get(op) ?? 0;
  }

  resetCounts(): void {
    this.counts.clear();
  }

  open(path: string, mode: LogOpenMode): Promise<number> {
    return this.guard("open", () => this.inner.open(path, mode));
  }

  async write(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<number> {
    this.bump("write");
    const error = this.fault("write");
    if (error === null) return this.inner.write(fd, buffer, offset, length, position);
    // Torn write: half of the bytes land before the disk reports the error.
    const half = Math.floor(length / 2);
    if (half > 0) await this.inner.write(fd, buffer, offset, half, position);
    throw error;
  }

  read(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return this.guard("read", () => this.inner.read(fd, buffer, offset, length, position));
  }

  async fsync(fd: number): Promise<void> {
    if (this.beforeFsync !== null) await this.beforeFsync();
    return this.guard("fsync", () => this.inner.fsync(fd));
  }

  ftruncate(fd: number, length: number): Promise<void> {
    return this.guard("ftruncate", () => this.inner.ftruncate(fd, length));
  }

  close(fd: number): Promise<void> {
    return this.guard("close", () => this.inner.close(fd));
  }

  rename(from: string, to: string): Promise<void> {
    return this.guard("rename", () => this.inner.rename(from, to));
  }

  unlink(path: string): Promise<void> {
    return this.guard("unlink", () => this.inner.unlink(path));
  }

  readdir(path: string): Promise<string[]> {
    return this.guard("readdir", () => this.inner.readdir(path));
  }

  stat(path: string): Promise<{ size: number }> {
    return this.guard("stat", () => this.inner.stat(path));
  }

  mkdir(path: string): Promise<void> {
    return this.guard("mkdir", () => this.inner.mkdir(path));
  }

  openSync(path: string, mode: "r"): number {
    this.bump("openSync");
    return this.inner.openSync(path, mode);
  }

  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number {
    this.bump("readSync");
    return this.inner.readSync(fd, buffer, offset, length, position);
  }

  closeSync(fd: number): void {
    this.bump("closeSync");
    this.inner.closeSync(fd);
  }

  private async guard<T>(op: FileOperation, run: () => Promise<T>): Promise<T> {
    this.bump(op);
    const error = this.fault(op);
    if (error !== null) throw error;
    return run();
  }

  private bump(op: string): void {
    this.counts.set(op, (this.counts.get(op) ?? 0) + 1);
  }

  private fault(op: FileOperation): NodeJS.ErrnoException | null {
    const fault = this.faults.get(op);
    if (fault === undefined) return null;
    if (fault.skip > 0) {
      fault.skip--;
      return null;
    }
    return Object.assign(new Error(`${fault.code}: injected fault in ${op}`), {
      code: fault.code,
      syscall: op,
    });
  }
}
