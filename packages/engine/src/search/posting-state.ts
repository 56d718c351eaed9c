/**
 * The posting lists in a snapshot: per token id, its live count then its live postings (item × 4 + code, in
 * item order), all in one stream of u32 words cut into arrays of exactly `STATE_CHUNK` words but the last.
 *
 * Why this format: it is the logical content only, whatever the layout (slab block or long list, tombstones,
 * free blocks), so equal indexes hash equal however they got there; and every list the index can read is a
 * function of it. Chunks bound the writer's scratch and let the reader parse a 100 MB stream with one typed
 * array per chunk and no object per posting. The reader accepts only what the writer writes (full chunks,
 * strictly increasing items of indexed items, codes 1–3), so a restored index writes the same bytes.
 */
import { SnapshotFormatError, type StateReader } from "../state/state-reader.js";
import type { StateWriter } from "../state/state-writer.js";
import { PostingLists } from "./posting-lists.js";

/** Words per array of the stream. */
const STATE_CHUNK = 1 << 16;

/** Writes the live postings of tokens [0, tokens). */
export function writePostings(lists: PostingLists, tokens: number, out: StateWriter): void {
  const words = new Uint32Array(STATE_CHUNK);
  let w = 0;
  /** Appends `count` words of `source` from `from`, handing out each full chunk before the next word goes in. */
  const emit = (source: Uint32Array, from: number, count: number): void => {
    const end = from + count;
    while (from < end) {
      if (w === STATE_CHUNK) {
        out.array(words);
        w = 0;
      }
      const n = Math.min(end - from, STATE_CHUNK - w);
      words.set(source.subarray(from, from + n), w);
      w += n;
      from += n;
    }
  };
  for (let t = 0; t < tokens; t++) {
    const df = lists.df(t);
    if (w === STATE_CHUNK) {
      out.array(words);
      w = 0;
    }
    words[w++] = df;
    if (df > 0) emit(lists.postings(t), lists.from, df);
  }
  if (w > 0) out.array(words.subarray(0, w));
}

/** Reads the stream's words in order, one chunk array at a time. */
class WordStream {
  private words = new Uint32Array(0);
  private at = 0;
  private scratch = new Uint32Array(0);
  /** Where the words returned by {@link take} start. */
  from = 0;

  constructor(private readonly input: StateReader) {}

  private next(): void {
    if (this.words.length !== 0 && this.words.length !== STATE_CHUNK) {
      throw new SnapshotFormatError(
        `TextIndex: posting chunk of ${this.words.length} words followed by another (only the last may be short)`,
      );
    }
    const words = this.input.array(Uint32Array);
    if (words.length === 0 || words.length > STATE_CHUNK) {
      throw new SnapshotFormatError(
        `TextIndex: posting chunk of ${words.length} words, not 1 to ${STATE_CHUNK}`,
      );
    }
    this.words = words;
    this.at = 0;
  }

  word(): number {
    if (this.at === this.words.length) this.next();
    return this.words[this.at++]!;
  }

  /** The next `count` words, at [from, from + count) of the returned array. */
  take(count: number): Uint32Array {
    if (this.at + count <= this.words.length) {
      this.from = this.at;
      this.at += count;
      return this.words;
    }
    if (this.scratch.length < count) this.scratch = new Uint32Array(count);
    let n = 0;
    while (n < count) {
      if (this.at === this.words.length) this.next();
      const k = Math.min(count - n, this.words.length - this.at);
      this.scratch.set(this.words.subarray(this.at, this.at + k), n);
      this.at += k;
      n += k;
    }
    this.from = 0;
    return this.scratch;
  }

  /** Checks that the last chunk was read to its end. */
  end(): void {
    if (this.at !== this.words.length) {
      throw new SnapshotFormatError(
        `TextIndex: ${this.words.length - this.at} words after the last posting list`,
      );
    }
  }
}

/**
 * Posting lists for tokens [0, tokens) from what {@link writePostings} wrote, for an index whose items are the
 * set flags of `present`. Throws SnapshotFormatError on a posting of an item not indexed, an invalid code or
 * items out of order.
 */
export function readPostings(input: StateReader, tokens: number, present: Uint8Array): PostingLists {
  const lists = new PostingLists();
  lists.addTokens(tokens);
  const stream = new WordStream(input);
  const items = present.length;
  for (let t = 0; t < tokens; t++) {
    const df = stream.word();
    if (df > items) {
      throw new SnapshotFormatError(`TextIndex: token ${t} has ${df} postings, more than the ${items} items`);
    }
    const source = stream.take(df);
    const from = stream.from;
    let previous = -1;
    for (let i = from; i < from + df; i++) {
      const v = source[i]!;
      const item = v >>> 2;
      if ((v & 3) === 0 || item <= previous || item >= items || present[item] !== 1) {
        throw new SnapshotFormatError(
          `TextIndex: token ${t} has posting ${v} (item ${item}, code ${v & 3}) after item ${previous}: ` +
            "items must increase, be indexed, and have a code of 1 to 3",
        );
      }
      previous = item;
    }
    lists.adopt(t, source, from, df);
  }
  if (tokens > 0) stream.end();
  return lists;
}
