import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderHtml } from "./render-html.js";
import type { EvaluationReport } from "./report-types.js";

/** Writes `report.json` and `report.html` into `dir` (created if needed); returns their paths. */
export function writeReport(dir: string, report: EvaluationReport): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, "report.json");
  const html = join(dir, "report.html");
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(html, renderHtml(report));
  return { json, html };
}
