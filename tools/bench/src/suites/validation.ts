import { parseNdjson, validateEvent } from "@sibyl/events";
import { measureParseOnly, measureRate } from "../report/measure.js";
import { figure } from "../report/report.js";
import type { Suite } from "../suite.js";
import { syntheticStream } from "../stream/synthetic-stream.js";

/** Validation with the generated validators against parsing the same lines (target ≥ 2 × parse-only). */
export const validationSuite: Suite = {
  name: "validation",
  title: "Validation of the realistic event mix (generated ajv standalone validators)",
  run({ quick }) {
    const count = quick ? 20_000 : 300_000;
    const lines = Array.from(
      syntheticStream({ events: count, items: 1_000_000, visitors: 1_000_000 }),
      (event) => JSON.stringify(event),
    );
    const parseOnly = measureParseOnly(lines);
    const parsed: unknown[] = lines.map((line) => JSON.parse(line));
    let invalid = 0;
    const validate = measureRate(count, () => {
      for (const value of parsed) if (!validateEvent(value).ok) invalid++;
    });
    if (invalid > 0) throw new Error(`${invalid} synthetic events failed validation`);
    const text = lines.join("\n");
    const ndjson = measureRate(count, () => {
      if (parseNdjson(text).events.length !== count) throw new Error("parseNdjson lost events");
    });
    return [
      figure("validateEvent", validate.perSecond, "events/s", "parse-only", parseOnly.perSecond, {
        op: ">=",
        ratio: 2,
      }),
      figure(
        "parseNdjson (parse + validate)",
        ndjson.perSecond,
        "events/s",
        "parse-only",
        parseOnly.perSecond,
      ),
    ];
  },
};
