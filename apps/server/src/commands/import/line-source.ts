import { fileSource, type ImportSource, type SourceItem } from "./import-source.js";
import { openInputFile } from "./input-file.js";
import { type Line, splitLines } from "./split-lines.js";

/** Opens a file of lines (`-` is standard input) as an import source whose items `toItems` makes of its lines. */
export async function openLineSource(
  path: string,
  maxLineBytes: number,
  toItems: (lines: AsyncIterable<Line>) => AsyncIterable<SourceItem>,
): Promise<ImportSource> {
  const input = await openInputFile(path);
  let linesRead = 0;
  async function* counted(): AsyncGenerator<Line, void, undefined> {
    for await (const line of splitLines(input.chunks(), maxLineBytes)) {
      linesRead = line.number;
      yield line;
    }
  }
  return fileSource(
    input,
    () => toItems(counted()),
    () => linesRead,
  );
}
