import { closeSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { crc32c } from "@node-rs/crc32";
import { BinaryStateReader, BinaryStateWriter } from "../state/binary-state.js";
import { SnapshotFormatError, type StateReader } from "../state/state-reader.js";
import type { StateWriter } from "../state/state-writer.js";

/**
 * A snapshot file: a header, then the engine state as a sequence of chunks, each framed with its length and
 * CRC-32C, then an end frame (length 0) whose CRC field holds the number of chunks. The state streams through
 * fixed-size chunks, so a state of any size never needs one buffer of its size, and a torn or corrupt file is
 * detected chunk by chunk. Header: magic, format version, and a JSON description (which log position the state
 * covers, and more) with its own length and CRC.
 */
const MAGIC = Buffer.from("SIBYLSNP", "ascii");
export const SNAPSHOT_FORMAT_VERSION = 1;
const CHUNK_BYTES = 8 * 1024 * 1024;
const MAX_META_BYTES = 1024 * 1024;

export class SnapshotCorruptError extends SnapshotFormatError {
  constructor(
    readonly file: string,
    readonly offset: number,
    reason: string,
  ) {
    super(`${file} at byte ${offset}: ${reason}`);
    this.name = "SnapshotCorruptError";
  }
}

/**
 * Writes a snapshot atomically: to `<path>.tmp`, fsync, rename over `path`, and fsync the directory, so a crash
 * leaves either the old file or the complete new one. Returns the file's size in bytes.
 */
export function writeSnapshotFile<M>(path: string, meta: M, write: (out: StateWriter) => void): number {
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, "w");
  let bytes = 0;
  const put = (buffer: Uint8Array) => {
    let written = 0;
    while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written);
    bytes += buffer.length;
  };
  try {
    const metaBytes = Buffer.from(JSON.stringify(meta), "utf8");
    const header = Buffer.alloc(MAGIC.length + 12);
    MAGIC.copy(header, 0);
    header.writeUInt32LE(SNAPSHOT_FORMAT_VERSION, 8);
    header.writeUInt32LE(metaBytes.length, 12);
    header.writeUInt32LE(crc32c(metaBytes), 16);
    put(header);
    put(metaBytes);
    let chunks = 0;
    const frame = Buffer.alloc(8);
    const writer = new BinaryStateWriter((chunk) => {
      frame.writeUInt32LE(chunk.length, 0);
      frame.writeUInt32LE(crc32c(chunk), 4);
      put(frame);
      put(chunk);
      chunks++;
    }, CHUNK_BYTES);
    write(writer);
    writer.flush();
    frame.writeUInt32LE(0, 0);
    frame.writeUInt32LE(chunks, 4);
    put(frame);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  syncDirectory(path);
  return bytes;
}

/** Reads a snapshot's description without reading its state. */
export function readSnapshotMeta<M>(path: string): M {
  const fd = openSync(path, "r");
  try {
    return readMeta<M>(path, fd).meta;
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams a snapshot's state into `read`, verifying every chunk; throws SnapshotCorruptError (file and offset)
 * for a damaged file, and SnapshotFormatError when the state does not parse. Returns the description.
 */
export function readSnapshotFile<M>(path: string, read: (input: StateReader) => void): M {
  const fd = openSync(path, "r");
  try {
    const { meta, offset } = readMeta<M>(path, fd);
    let position = offset;
    let chunks = 0;
    let ended = false;
    const frame = Buffer.alloc(8);
    function* frames(): Generator<Buffer> {
      for (;;) {
        if (readSync(fd, frame, 0, 8, position) !== 8)
          throw new SnapshotCorruptError(path, position, "file ends before its end frame");
        const length = frame.readUInt32LE(0);
        const crc = frame.readUInt32LE(4);
        if (length === 0) {
          if (crc !== chunks)
            throw new SnapshotCorruptError(path, position, `end frame counts ${crc} chunks, found ${chunks}`);
          ended = true;
          return;
        }
        if (length > CHUNK_BYTES)
          throw new SnapshotCorruptError(path, position, `chunk length ${length} is impossible`);
        const chunk = Buffer.allocUnsafe(length);
        if (readSync(fd, chunk, 0, length, position + 8) !== length) {
          throw new SnapshotCorruptError(path, position, "file ends inside a chunk");
        }
        if (crc32c(chunk) !== crc) throw new SnapshotCorruptError(path, position, "chunk checksum mismatch");
        position += 8 + length;
        chunks++;
        yield chunk;
      }
    }
    const reader = new BinaryStateReader(frames());
    read(reader);
    if (!reader.done || !ended)
      throw new SnapshotCorruptError(path, position, "state ends before the file does");
    return meta;
  } finally {
    closeSync(fd);
  }
}

function readMeta<M>(path: string, fd: number): { meta: M; offset: number } {
  const header = Buffer.alloc(MAGIC.length + 12);
  if (readSync(fd, header, 0, header.length, 0) !== header.length || !header.subarray(0, 8).equals(MAGIC)) {
    throw new SnapshotCorruptError(path, 0, "not a Sibyl snapshot");
  }
  const version = header.readUInt32LE(8);
  if (version !== SNAPSHOT_FORMAT_VERSION)
    throw new SnapshotCorruptError(path, 8, `unsupported format version ${version}`);
  const length = header.readUInt32LE(12);
  if (length > MAX_META_BYTES)
    throw new SnapshotCorruptError(path, 12, `description length ${length} is impossible`);
  const metaBytes = Buffer.alloc(length);
  if (
    readSync(fd, metaBytes, 0, length, header.length) !== length ||
    crc32c(metaBytes) !== header.readUInt32LE(16)
  ) {
    throw new SnapshotCorruptError(path, header.length, "description is damaged");
  }
  return { meta: JSON.parse(metaBytes.toString("utf8")) as M, offset: header.length + length };
}

/** Makes a rename durable: fsync of the directory that holds the file. */
export function syncDirectory(path: string): void {
  const directory = path.slice(0, Math.max(0, path.lastIndexOf("/"))) || ".";
  const fd = openSync(directory, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
