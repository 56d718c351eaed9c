/** The typed arrays state components keep. */
export type StateArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;
export type StateArrayType<T extends StateArray> = {
  new (length: number): T;
  readonly BYTES_PER_ELEMENT: number;
};

/**
 * Reads back, in the same order, what a component wrote to a StateWriter: a snapshot is loaded by every
 * component reading its own sections. Each method throws SnapshotFormatError when the data does not fit.
 */
export interface StateReader {
  /** Checks that the next section is `name`. */
  section(name: string): void;
  u32(): number;
  f64(): number;
  string(): string;
  /** A typed array written with `StateWriter.array`, as a new array of the given type. */
  array<T extends StateArray>(type: StateArrayType<T>): T;
}

export class SnapshotFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SnapshotFormatError";
  }
}
