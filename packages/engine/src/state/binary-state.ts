import {
  SnapshotFormatError,
  type StateArray,
  type StateArrayType,
  type StateReader,
} from "./state-reader.js";
import type { StateWriter } from "./state-writer.js";

const DEFAULT_CHUNK = 4 * 1024 * 1024;

/**
 * A StateWriter that serialises to bytes, handed out in chunks of at most `chunkSize` so that no single buffer
 * grows with the state: a 10 M-event state is hundreds of megabytes. Typed arrays are copied raw
 * (little-endian, as every platform Node runs on stores them).
 */
export class BinaryStateWriter implements StateWriter {
  private buffer: Buffer;
  private used = 0;
  /** Bytes written so far, flushed or not. */
  written = 0;

  constructor(
    private readonly sink: (chunk: Buffer) => void,
    private readonly chunkSize = DEFAULT_CHUNK,
  ) {
    if (chunkSize < 8) throw new RangeError("chunkSize must hold at least one f64 (8 bytes)");
    this.buffer = Buffer.allocUnsafe(chunkSize);
  }

  section(name: string): void {
    this.string(`§${name}`);
  }

  u32(value: number): void {
    this.reserve(4);
    this.buffer.writeUInt32LE(value >>> 0, this.used);
    this.used += 4;
    this.written += 4;
  }

  f64(value: number): void {
    this.reserve(8);
    this.buffer.writeDoubleLE(value, this.used);
    this.used += 8;
    this.written += 8;
  }

  string(value: string): void {
    const bytes = Buffer.from(value, "utf8");
    this.u32(bytes.length);
    this.bytes(bytes);
  }

  array(values: ArrayBufferView): void {
    this.u32(values.byteLength);
    this.bytes(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }

  /** Hands out what is buffered; call once at the end. */
  flush(): void {
    if (this.used === 0) return;
    this.sink(this.buffer.subarray(0, this.used));
    this.buffer = Buffer.allocUnsafe(this.chunkSize);
    this.used = 0;
  }

  private bytes(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      if (this.used === this.chunkSize) this.flush();
      const length = Math.min(bytes.length - offset, this.chunkSize - this.used);
      this.buffer.set(bytes.subarray(offset, offset + length), this.used);
      this.used += length;
      offset += length;
    }
    this.written += bytes.length;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes > this.chunkSize) this.flush();
  }
}

/** Reads what a BinaryStateWriter wrote, from its chunks in order. */
export class BinaryStateReader implements StateReader {
  private chunk: Buffer = Buffer.alloc(0);
  private at = 0;
  private readonly scratch = Buffer.alloc(8);

  constructor(private readonly chunks: Iterator<Buffer>) {}

  section(name: string): void {
    const found = this.string();
    if (found !== `§${name}`)
      throw new SnapshotFormatError(
        `expected section "${name}", found ${JSON.stringify(found.slice(0, 80))}`,
      );
  }

  u32(): number {
    return this.fixed(4).readUInt32LE(this.fixedAt);
  }

  f64(): number {
    return this.fixed(8).readDoubleLE(this.fixedAt);
  }

  string(): string {
    const length = this.u32();
    const bytes = Buffer.allocUnsafe(length);
    this.copyInto(bytes);
    return bytes.toString("utf8");
  }

  array<T extends StateArray>(type: StateArrayType<T>): T {
    const byteLength = this.u32();
    if (byteLength % type.BYTES_PER_ELEMENT !== 0) {
      throw new SnapshotFormatError(
        `array of ${byteLength} bytes is not a whole number of ${type.name} elements`,
      );
    }
    const values = new type(byteLength / type.BYTES_PER_ELEMENT);
    this.copyInto(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    return values;
  }

  /** True when every byte has been read. */
  get done(): boolean {
    if (this.at < this.chunk.length) return false;
    return !this.advance();
  }

  private fixedAt = 0;

  /** A buffer holding the next `length` bytes at `fixedAt`, without copying when they are in one chunk. */
  private fixed(length: number): Buffer {
    if (this.at + length <= this.chunk.length) {
      this.fixedAt = this.at;
      this.at += length;
      return this.chunk;
    }
    this.copyInto(this.scratch.subarray(0, length));
    this.fixedAt = 0;
    return this.scratch;
  }

  private copyInto(target: Uint8Array): void {
    let offset = 0;
    while (offset < target.length) {
      if (this.at === this.chunk.length && !this.advance()) {
        throw new SnapshotFormatError("state ends early: the snapshot is truncated");
      }
      const length = Math.min(target.length - offset, this.chunk.length - this.at);
      target.set(this.chunk.subarray(this.at, this.at + length), offset);
      this.at += length;
      offset += length;
    }
  }

  private advance(): boolean {
    for (;;) {
      const next = this.chunks.next();
      if (next.done) return false;
      if (next.value.length === 0) continue;
      this.chunk = next.value;
      this.at = 0;
      return true;
    }
  }
}
