/** What an import has done so far. */
export interface ProgressCounts {
  bytes: number;
  lines: number;
  events: number;
  rejected: number;
}

export interface ProgressOptions {
  /** The size of the input, when known: a percentage, a bar and an estimated time left. */
  totalBytes: number | undefined;
  /** A terminal: one line redrawn in place ten times a second. Otherwise a new line every `everyMs`. */
  tty: boolean;
  write: (text: string) => void;
  /** Terminal width, to keep the redrawn line from wrapping. */
  columns?: number;
  /** How often a line is printed when not a terminal. Default 5 s. */
  everyMs?: number;
  now?: () => number;
}

const TTY_EVERY_MS = 100;
const BAR_WIDTH = 20;

/** Progress of an import on stderr: a bar redrawn in place on a terminal, a plain line now and then otherwise. */
export class ImportProgress {
  private readonly now: () => number;
  private readonly everyMs: number;
  private readonly started: number;
  private last: number;
  private drawn = false;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? (() => performance.now());
    this.everyMs = options.tty ? TTY_EVERY_MS : (options.everyMs ?? 5000);
    this.started = this.now();
    this.last = this.started;
  }

  /** Cheap to call often: prints only when the interval has passed. */
  update(counts: ProgressCounts): void {
    const now = this.now();
    if (now - this.last < this.everyMs) return;
    this.last = now;
    const text = this.describe(counts, (now - this.started) / 1000);
    if (this.options.tty) {
      const width = (this.options.columns ?? 80) - 1;
      this.options.write(`\r${text.length > width ? text.slice(0, width) : text}\x1b[K`);
      this.drawn = true;
    } else {
      this.options.write(`sibyl import: ${text}\n`);
    }
  }

  /** Clears the redrawn line, so what follows starts on a clean line. */
  finish(): void {
    if (this.drawn) this.options.write("\r\x1b[K");
    this.drawn = false;
  }

  /** One line of progress, for `seconds` into the import. */
  describe(counts: ProgressCounts, seconds: number): string {
    const { totalBytes, tty } = this.options;
    const parts: string[] = [];
    const rate = seconds > 0 ? counts.events / seconds : 0;
    if (totalBytes !== undefined && totalBytes > 0) {
      const fraction = Math.min(1, counts.bytes / totalBytes);
      const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
      if (tty) {
        const filled = Math.round(fraction * BAR_WIDTH);
        parts.push(`[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}] ${percent}`);
      } else {
        parts.push(percent.trim());
      }
      parts.push(`${formatBytes(counts.bytes)} of ${formatBytes(totalBytes)}`);
    } else {
      parts.push(formatBytes(counts.bytes));
    }
    // A terminal line must fit its width: the line count is left to the periodic lines of logs.
    if (!tty) parts.push(`${count(counts.lines)} lines`);
    parts.push(`${count(counts.events)} events`);
    if (counts.rejected > 0) parts.push(`${count(counts.rejected)} rejected`);
    parts.push(`${count(Math.round(rate))} ${tty ? "ev/s" : "events/s"}`);
    if (totalBytes !== undefined && counts.bytes > 0 && counts.bytes < totalBytes && seconds > 0) {
      const left = ((totalBytes - counts.bytes) / counts.bytes) * seconds;
      parts.push(`${formatDuration(left)} left`);
    }
    return parts.join(tty ? "  " : ", ");
  }
}

function count(value: number): string {
  return value.toLocaleString("en-US");
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  const whole = Math.ceil(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, "0")}m`;
  if (minutes > 0) return `${minutes}m${String(rest).padStart(2, "0")}s`;
  return `${rest}s`;
}
