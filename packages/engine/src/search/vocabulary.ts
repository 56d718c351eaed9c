/**
 * Tokens ↔ dense ids, without a JS string or Map entry per token.
 *
 * Why this layout: a catalog has hundreds of thousands of distinct tokens, so each costs only its UTF-16 code
 * units in one shared Uint16Array, an offset in a Uint32Array and a slot of an open-addressing hash table
 * (Uint32Array, at most 70% full) holding id + 8 hash bits, which make most probe mismatches free. Ids are
 * dense and never reused (a token whose items are all gone keeps its ~25 bytes + 2 a character), so posting
 * lists and the forward index can name tokens by a small integer. Lookups depend only on the tokens, never on
 * the table's layout, so a restored vocabulary finds exactly what the original did.
 */
import { SnapshotFormatError, type StateReader } from "../state/state-reader.js";
import type { StateWriter } from "../state/state-writer.js";
import { TEXT_INDEX_BOUNDS } from "./text-bounds.js";
import { grownU16, grownU32 } from "./typed-growth.js";

const MAX_TOKENS = TEXT_INDEX_BOUNDS.maxTokens;
const MAX_TOKEN_LENGTH = TEXT_INDEX_BOUNDS.maxTokenLength;
/** A free slot of the table; a used one holds id + (8 high hash bits) × 2^24. */
const EMPTY_SLOT = 0xffffffff;
const ID_MASK = 0xffffff;
const MIN_TABLE = 1024;

/** FNV-1a over UTF-16 code units. */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export class Vocabulary {
  count = 0;
  private chars = new Uint16Array(4096);
  private used = 0;
  /** Token `id` is chars[offsets[id], offsets[id + 1]). */
  private offsets = new Uint32Array(1024);
  /** Open addressing, linear probing. */
  private table = new Uint32Array(MIN_TABLE).fill(EMPTY_SLOT);

  private static hash(token: string): number {
    let h = FNV_OFFSET;
    for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), FNV_PRIME);
    return h >>> 0;
  }

  /** The hash of token `id`, from its characters. */
  private hashOf(id: number): number {
    let h = FNV_OFFSET;
    const end = this.offsets[id + 1]!;
    for (let i = this.offsets[id]!; i < end; i++) h = Math.imul(h ^ this.chars[i]!, FNV_PRIME);
    return h >>> 0;
  }

  /** Table slot holding `token`, or the empty slot where it would go. */
  private slotOf(token: string, hash: number): number {
    const table = this.table;
    const mask = table.length - 1;
    const tag = hash >>> 24;
    let h = hash & mask;
    for (;;) {
      const entry = table[h]!;
      if (entry === EMPTY_SLOT || (entry >>> 24 === tag && this.equals(entry & ID_MASK, token))) return h;
      h = (h + 1) & mask;
    }
  }

  private equals(id: number, token: string): boolean {
    const start = this.offsets[id]!;
    if (this.offsets[id + 1]! - start !== token.length) return false;
    for (let i = 0; i < token.length; i++) if (this.chars[start + i] !== token.charCodeAt(i)) return false;
    return true;
  }

  /** The id of `token`, or -1. */
  find(token: string): number {
    const entry = this.table[this.slotOf(token, Vocabulary.hash(token))]!;
    return entry === EMPTY_SLOT ? -1 : entry & ID_MASK;
  }

  /** The id of `token`, added if new. */
  intern(token: string): number {
    const hash = Vocabulary.hash(token);
    let slot = this.slotOf(token, hash);
    const entry = this.table[slot]!;
    if (entry !== EMPTY_SLOT) return entry & ID_MASK;
    const id = this.count;
    if (id >= MAX_TOKENS) throw new RangeError(`TextIndex: more than ${MAX_TOKENS} distinct tokens`);
    this.chars = grownU16(this.chars, this.used + token.length);
    for (let i = 0; i < token.length; i++) this.chars[this.used++] = token.charCodeAt(i);
    this.offsets = grownU32(this.offsets, id + 2);
    this.offsets[id + 1] = this.used;
    this.count = id + 1;
    if (this.count * 10 > this.table.length * 7) {
      this.rehash(this.table.length * 2);
      slot = this.slotOf(token, hash);
    }
    this.table[slot] = ((hash >>> 24) * 2 ** 24 + id) >>> 0;
    return id;
  }

  /**
   * Rebuilds the table with `size` slots from tokens [0, count − 1) (the last one is placed by the caller);
   * returns the id of a token found twice, or -1.
   */
  private rehash(size: number, upTo = this.count - 1): number {
    const table = new Uint32Array(size).fill(EMPTY_SLOT);
    this.table = table;
    const mask = size - 1;
    for (let id = 0; id < upTo; id++) {
      const hash = this.hashOf(id);
      const tag = hash >>> 24;
      let h = hash & mask;
      for (;;) {
        const entry = table[h]!;
        if (entry === EMPTY_SLOT) break;
        if (entry >>> 24 === tag && this.compare(entry & ID_MASK, id) === 0) return id;
        h = (h + 1) & mask;
      }
      table[h] = (tag * 2 ** 24 + id) >>> 0;
    }
    return -1;
  }

  /** Code-unit order of two tokens (same order as `<` on JS strings). */
  compare(a: number, b: number): number {
    let i = this.offsets[a]!;
    const endA = this.offsets[a + 1]!;
    let j = this.offsets[b]!;
    const endB = this.offsets[b + 1]!;
    for (; i < endA && j < endB; i++, j++) {
      const d = this.chars[i]! - this.chars[j]!;
      if (d !== 0) return d;
    }
    return endA - i - (endB - j);
  }

  /** Code-unit order of token `id` and `text`. */
  compareWith(id: number, text: string): number {
    const start = this.offsets[id]!;
    const length = this.offsets[id + 1]! - start;
    const n = Math.min(length, text.length);
    for (let i = 0; i < n; i++) {
      const d = this.chars[start + i]! - text.charCodeAt(i);
      if (d !== 0) return d;
    }
    return length - text.length;
  }

  startsWith(id: number, prefix: string): boolean {
    const start = this.offsets[id]!;
    if (this.offsets[id + 1]! - start < prefix.length) return false;
    for (let i = 0; i < prefix.length; i++) if (this.chars[start + i] !== prefix.charCodeAt(i)) return false;
    return true;
  }

  /** Code unit `index` of token `id`, or -1 past its end. */
  codeUnit(id: number, index: number): number {
    const at = this.offsets[id]! + index;
    return at < this.offsets[id + 1]! ? this.chars[at]! : -1;
  }

  writeState(out: StateWriter): void {
    out.u32(this.count);
    out.array(this.offsets.subarray(0, this.count + 1));
    out.array(this.chars.subarray(0, this.used));
  }

  /**
   * A vocabulary holding what {@link writeState} wrote. Throws SnapshotFormatError when the offsets do not
   * delimit `count` tokens of 1 to maxTokenLength code units covering all characters, or a token repeats.
   */
  static readState(input: StateReader): Vocabulary {
    const count = input.u32();
    const offsets = input.array(Uint32Array);
    const chars = input.array(Uint16Array);
    if (count > MAX_TOKENS) {
      throw new SnapshotFormatError(`TextIndex: ${count} tokens, more than the ${MAX_TOKENS} allowed`);
    }
    if (offsets.length !== count + 1) {
      throw new SnapshotFormatError(`TextIndex: ${count} tokens but ${offsets.length} token offsets`);
    }
    if (offsets[0] !== 0 || offsets[count] !== chars.length) {
      throw new SnapshotFormatError(
        `TextIndex: token offsets run from ${offsets[0]} to ${offsets[count]}, not over the ${chars.length} characters`,
      );
    }
    for (let id = 0; id < count; id++) {
      const length = offsets[id + 1]! - offsets[id]!;
      if (!(length >= 1 && length <= MAX_TOKEN_LENGTH)) {
        throw new SnapshotFormatError(
          `TextIndex: token ${id} has ${offsets[id + 1]! - offsets[id]!} code units, not 1 to ${MAX_TOKEN_LENGTH}`,
        );
      }
    }
    const vocab = new Vocabulary();
    vocab.count = count;
    vocab.chars = chars;
    vocab.used = chars.length;
    vocab.offsets = offsets;
    // The size growing one token at a time reaches: the smallest doubling of MIN_TABLE at most 70% full.
    let size = MIN_TABLE;
    while (count * 10 > size * 7) size *= 2;
    const repeated = vocab.rehash(size, count);
    if (repeated >= 0) {
      throw new SnapshotFormatError(`TextIndex: token ${repeated} repeats an earlier token`);
    }
    return vocab;
  }
}
