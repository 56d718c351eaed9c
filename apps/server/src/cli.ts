#!/usr/bin/env node
import { SibylEngineError } from "@sibyl/engine";
import { Command, CommanderError } from "commander";
import { UsageError } from "./commands/data-dir.js";
import { ConfigError } from "./config/server-config.js";
import { evaluateCommand } from "./commands/evaluate-command.js";
import { importCommand } from "./commands/import-command.js";
import { kafkaCommand } from "./commands/kafka-command.js";
import { logCommand } from "./commands/log-command.js";
import { replayCommand } from "./commands/replay-command.js";
import { serveCommand } from "./commands/serve-command.js";
import { snapshotCommand } from "./commands/snapshot-command.js";

/**
 * The `sibyl` command. Exit codes: 0 success; 1 the command ran and found a problem or failed (a damaged log, an
 * I/O error); 2 the command line was wrong.
 */
export function sibylProgram(): Command {
  const program = new Command("sibyl")
    .description("Sibyl: a real-time, event-sourced recommendation engine")
    .addCommand(serveCommand())
    .addCommand(replayCommand())
    .addCommand(snapshotCommand())
    .addCommand(logCommand())
    .addCommand(importCommand())
    .addCommand(evaluateCommand())
    .addCommand(kafkaCommand());
  throwInsteadOfExit(program);
  return program;
}

/** Commands added with addCommand do not inherit exitOverride: set it on every level, so exit codes are ours. */
function throwInsteadOfExit(command: Command): void {
  command.exitOverride();
  for (const child of command.commands) throwInsteadOfExit(child);
}

try {
  await sibylProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UsageError || error instanceof ConfigError) {
    console.error(`sibyl: ${error.message}`);
    process.exitCode = 2;
  } else if (error instanceof SibylEngineError || (error as NodeJS.ErrnoException).code !== undefined) {
    console.error(`sibyl: ${(error as Error).message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
