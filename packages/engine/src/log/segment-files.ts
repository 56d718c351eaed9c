/**
 * Segment files, after Kafka: the log is a directory of files `NNNNNNNNNNNN.log` (12-digit zero-padded segment
 * number, starting at 1), each at most `segmentBytes` long (unless a single record is larger). Whole old
 * segments can be deleted for retention without rewriting anything, and a rewrite for erasure touches one
 * segment, not the whole history.
 *
 * Each segment starts with a 12-byte header, magic `SIBYLLOG` + u32 LE format version, so a stray or foreign
 * file named like a segment is recognised instead of being read as records (or truncated as a "torn tail").
 */
import { join } from "node:path";
import type { LogFileSystem } from "./log-file-system.js";

export const SEGMENT_MAGIC = Buffer.from("SIBYLLOG", "ascii");
export const SEGMENT_FORMAT_VERSION = 1;
/** Magic (8) + version (4). The first record of a segment starts here. */
export const SEGMENT_HEADER_BYTES = 12;
export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

const SEGMENT_NAME = /^(\d{12})\.log$/;
/** Suffix of the temporary copy written during an atomic rewrite; leftovers are deleted on open. */
export const REWRITE_SUFFIX = ".rewrite-tmp";

export function segmentFileName(segment: number): string {
  return `${String(segment).padStart(12, "0")}.log`;
}

export function segmentPath(dir: string, segment: number): string {
  return join(dir, segmentFileName(segment));
}

export function encodeSegmentHeader(): Buffer {
  const header = Buffer.alloc(SEGMENT_HEADER_BYTES);
  SEGMENT_MAGIC.copy(header, 0);
  header.writeUInt32LE(SEGMENT_FORMAT_VERSION, SEGMENT_MAGIC.length);
  return header;
}

export type HeaderCheck = "ok" | "short" | "bad-magic" | "bad-version";

/** Checks the first `available` bytes of `buf` as a segment header. */
export function checkSegmentHeader(buf: Buffer, available: number): HeaderCheck {
  if (available < SEGMENT_HEADER_BYTES) return "short";
  if (!buf.subarray(0, SEGMENT_MAGIC.length).equals(SEGMENT_MAGIC)) return "bad-magic";
  if (buf.readUInt32LE(SEGMENT_MAGIC.length) !== SEGMENT_FORMAT_VERSION) return "bad-version";
  return "ok";
}

export interface SegmentFile {
  segment: number;
  path: string;
}

export interface DirectoryListing {
  /** Segment files in ascending segment order. */
  segments: SegmentFile[];
  /** Leftover temporary files of an interrupted rewrite. */
  leftovers: string[];
}

/** Lists the segment files of `dir`; other files (notes, lock files, editors' backups) are ignored. */
export async function listSegmentFiles(fsys: LogFileSystem, dir: string): Promise<DirectoryListing> {
  const names = await fsys.readdir(dir);
  const segments: SegmentFile[] = [];
  const leftovers: string[] = [];
  for (const name of names) {
    const match = SEGMENT_NAME.exec(name);
    if (match !== null) segments.push({ segment: Number(match[1]), path: join(dir, name) });
    else if (name.endsWith(REWRITE_SUFFIX)) leftovers.push(join(dir, name));
  }
  segments.sort((a, b) => a.segment - b.segment);
  return { segments, leftovers };
}
