import { type Command, Option } from "commander";
import {
  importOptionsOf,
  importSubcommand,
  maxLineBytesOption,
  type OrderOptions,
  sortBytes,
  withOrderOptions,
} from "./import-options.js";
import { openLineSource } from "./line-source.js";
import { type OttoTimeUnit, ottoItems } from "./otto-items.js";
import { importFrom } from "./run-import.js";
import { ordered } from "./time-order.js";

const OTTO_HELP = `
What is imported. Each line is one session: {"session":N,"events":[{"aid",
"ts","type"}]}. clicks become DetailItemView, carts AddToCart, and the
orders of a session at one ts one PurchaseComplete (transaction id
otto-<session>-<ts>, revenue 0 in currency XXX: OTTO has no prices). The
session number is the visitor_id and the session_id; aid is the item_id.
Event ids come from the actions (otto-<session>-<ts>-click-<aid> …): an
action repeated in the file has one id, and the engine applies it once. A
line with a bad action is rejected whole, naming the action.

No catalog events are made: OTTO has no item data, and the engine
recommends items it has only seen in behaviour events. ItemUpsert events
sent for them later add what the content and search strategies use.

Order and memory. Sessions overlap in time: with the default --order time
every event is held in memory (about 300 bytes each) and handed out in time
order at the end; the OTTO sample needs well under a MiB, the full training
set (217 M events) far more than --sort-memory allows. Import that with
--order file: session after session, each in its own time order.`;

/** `sibyl import otto <file>`: OTTO session lines (clicks, carts, orders). */
export function ottoImportCommand(): Command {
  return withOrderOptions(
    importSubcommand("otto", "import OTTO sessions (JSON lines): clicks, carts and orders"),
  )
    .argument("<file>", "the OTTO .jsonl file, read as a stream (- reads standard input)")
    .addOption(
      new Option("--time-unit <unit>", "the unit of ts: ms as published, s for converted copies")
        .choices(["ms", "s"])
        .default("ms"),
    )
    .addOption(maxLineBytesOption())
    .addHelpText("after", OTTO_HELP)
    .action(
      async (
        file: string,
        options: OrderOptions & { timeUnit: OttoTimeUnit; maxLineBytes: number },
        command: Command,
      ) => {
        await importFrom("otto", importOptionsOf(command), () =>
          openLineSource(file, options.maxLineBytes, (lines) =>
            ordered(
              ottoItems(lines, options.maxLineBytes, options.timeUnit),
              options.order,
              sortBytes(options),
            ),
          ),
        );
      },
    );
}
