import { EventLog, formatPosition, LogCorruptionError, parsePosition } from "@sibyl/engine";
import { Command, Option } from "commander";
import { dataDirOption, logDirOf, printJson } from "./data-dir.js";

/** `sibyl log stat | verify | tail`: the event log, read-only, for operators. */
export function logCommand(): Command {
  const log = new Command("log").description("inspect the event log of a data directory (read-only)");

  log
    .command("stat")
    .description("segments, records, bytes, first and last positions")
    .addOption(dataDirOption())
    .action(async (options: { dataDir: string }) => {
      const { log: opened, recovery } = await EventLog.open({
        dir: logDirOf(options.dataDir),
        readOnly: true,
      });
      const stat = opened.stat();
      printJson({
        segments: opened.segments().map(({ segment, bytes }) => ({ segment, bytes })),
        records: stat.records,
        redacted: stat.redacted,
        bytes: stat.bytes,
        first: stat.first && formatPosition(stat.first),
        last: stat.last && formatPosition(stat.last),
        tornTail: recovery.truncated,
      });
      await opened.close();
    });

  log
    .command("verify")
    .description("check every record's checksum; exit 1 if the log is damaged")
    .addOption(dataDirOption())
    .action(async (options: { dataDir: string }) => {
      try {
        const { log: opened, recovery } = await EventLog.open({
          dir: logDirOf(options.dataDir),
          readOnly: true,
        });
        await opened.close();
        if (recovery.truncated) {
          const { segment, offset, bytes } = recovery.truncated;
          console.error(
            `torn tail: segment ${segment} from byte ${offset} (${bytes} bytes) would be dropped on start`,
          );
          process.exitCode = 1;
        }
        console.log(`${recovery.records} records verified, log ends at ${formatPosition(recovery.end)}`);
      } catch (error) {
        if (!(error instanceof LogCorruptionError)) throw error;
        console.error(`corrupt: ${error.file} at byte ${error.offset}: ${error.reason}`);
        console.error("start the server with --skip-corrupt to skip damaged ranges (each is reported)");
        process.exitCode = 1;
      }
    });

  log
    .command("tail")
    .description("print the last records as NDJSON, each with its position")
    .addOption(dataDirOption())
    .addOption(new Option("-n, --lines <count>", "how many records").default("10").argParser(Number))
    .addOption(new Option("--from <position>", "start at segment:offset instead of the last records"))
    .action(async (options: { dataDir: string; lines: number; from?: string }) => {
      const { log: opened } = await EventLog.open({ dir: logDirOf(options.dataDir), readOnly: true });
      const from = options.from === undefined ? undefined : parsePosition(options.from);
      const window: string[] = [];
      for (const record of opened.read(from)) {
        window.push(
          `{"position":"${formatPosition(record.position)}","event":${record.payload.toString("utf8").trimEnd()}}`,
        );
        if (from !== undefined && window.length >= options.lines) break;
        if (from === undefined && window.length > options.lines) window.shift();
      }
      for (const line of window) process.stdout.write(`${line}\n`);
      await opened.close();
    });

  return log;
}
