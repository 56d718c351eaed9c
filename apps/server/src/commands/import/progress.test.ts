import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, ImportProgress } from "./progress.js";

function progress(tty: boolean, totalBytes: number | undefined) {
  let now = 0;
  const written: string[] = [];
  const reporter = new ImportProgress({
    totalBytes,
    tty,
    columns: 200,
    now: () => now,
    write: (text) => written.push(text),
  });
  return {
    reporter,
    written,
    at: (ms: number) => {
      now = ms;
    },
  };
}

const counts = { bytes: 512 * 1024 * 1024, lines: 1_500_000, events: 1_499_990, rejected: 10 };

describe("ImportProgress", () => {
  it("redraws one line in place on a terminal, at most ten times a second, and clears it at the end", () => {
    const { reporter, written, at } = progress(true, 1024 * 1024 * 1024);
    at(50);
    reporter.update(counts);
    expect(written).toEqual([]);
    at(10_000);
    reporter.update(counts);
    expect(written).toHaveLength(1);
    expect(written[0]).toBe(
      "\r[██████████░░░░░░░░░░]  50%  512.0 MiB of 1.0 GiB  1,499,990 events  10 rejected  149,999 ev/s  10s left\x1b[K",
    );
    reporter.finish();
    expect(written[1]).toBe("\r\x1b[K");
  });

  it("prints a plain line every five seconds elsewhere, without a percentage when the size is unknown", () => {
    const { reporter, written, at } = progress(false, undefined);
    at(4_999);
    reporter.update(counts);
    at(5_000);
    reporter.update(counts);
    expect(written).toEqual([
      "sibyl import: 512.0 MiB, 1,500,000 lines, 1,499,990 events, 10 rejected, 299,998 events/s\n",
    ]);
    reporter.finish();
    expect(written).toHaveLength(1);
  });

  it("formats sizes and durations", () => {
    expect(formatBytes(900)).toBe("900 B");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3.0 GiB");
    expect(formatDuration(59.2)).toBe("1m00s");
    expect(formatDuration(3 * 3600 + 125)).toBe("3h02m");
  });
});
