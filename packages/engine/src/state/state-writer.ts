import { createHash, type Hash } from "node:crypto";

/**
 * Where a state component writes itself, field by field, in a fixed order. The same calls feed `stateHash()` and
 * (with a file-backed writer) snapshots, so two engines with equal hashes hold equal state.
 */
export interface StateWriter {
  /** Starts a named section (a component, or a part of one). */
  section(name: string): void;
  u32(value: number): void;
  f64(value: number): void;
  string(value: string): void;
  /** The used part of a typed array, raw. */
  array(values: ArrayBufferView): void;
}

/** A StateWriter that only hashes (SHA-256) what is written. */
export class HashingStateWriter implements StateWriter {
  private readonly hash: Hash = createHash("sha256");
  private readonly scratch = Buffer.alloc(8);

  section(name: string): void {
    this.string(`§${name}`);
  }

  u32(value: number): void {
    this.scratch.writeUInt32LE(value >>> 0, 0);
    this.hash.update(this.scratch.subarray(0, 4));
  }

  f64(value: number): void {
    this.scratch.writeDoubleLE(value, 0);
    this.hash.update(this.scratch);
  }

  string(value: string): void {
    const bytes = Buffer.from(value, "utf8");
    this.u32(bytes.length);
    this.hash.update(bytes);
  }

  array(values: ArrayBufferView): void {
    this.u32(values.byteLength);
    this.hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }

  digest(): string {
    return this.hash.digest("hex");
  }
}
