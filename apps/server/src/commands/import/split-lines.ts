/** One line of a byte stream, without its line break (`\n` or `\r\n`). */
export type Line =
  | { /** 1-based. */ number: number; bytes: Buffer; tooLong: false }
  /** Longer than the limit: its bytes were skipped, never held in memory. */
  | { number: number; bytes: undefined; tooLong: true };

const NEWLINE = 0x0a;
const RETURN = 0x0d;

/**
 * Splits a stream of chunks into lines at `\n`, dropping a `\r` before it, holding at most one line (up to
 * `maxLineBytes`) in memory. A last line without a line break is a line; an empty string after the final `\n` is
 * not. Line numbers count every line, blank or not, like `parseNdjson`.
 */
export async function* splitLines(
  chunks: AsyncIterable<Buffer>,
  maxLineBytes: number,
): AsyncGenerator<Line, void, undefined> {
  let pieces: Buffer[] = [];
  let held = 0;
  let tooLong = false;
  let number = 0;

  const keep = (piece: Buffer) => {
    if (piece.length === 0) return;
    held += piece.length;
    if (tooLong) return;
    // One byte more than the limit is allowed while reading: it may be the `\r` of a `\r\n`.
    if (held > maxLineBytes + 1) {
      tooLong = true;
      pieces = [];
    } else {
      pieces.push(piece);
    }
  };

  const take = (): Line => {
    number++;
    const line = tooLong ? undefined : pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, held);
    pieces = [];
    held = 0;
    tooLong = false;
    if (line === undefined) return { number, bytes: undefined, tooLong: true };
    const bytes = line.length > 0 && line[line.length - 1] === RETURN ? line.subarray(0, -1) : line;
    if (bytes.length > maxLineBytes) return { number, bytes: undefined, tooLong: true };
    return { number, bytes, tooLong: false };
  };

  for await (const chunk of chunks) {
    let start = 0;
    while (start < chunk.length) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) {
        keep(chunk.subarray(start));
        break;
      }
      keep(chunk.subarray(start, end));
      yield take();
      start = end + 1;
    }
  }
  if (held > 0) yield take();
}
