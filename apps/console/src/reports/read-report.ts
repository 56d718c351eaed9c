import type { EvaluationReport } from "@sibyl/evaluate";

export type { EvaluationReport };

/** A file that is not an evaluation report, with what is wrong with it. */
export class ReportFormatError extends Error {
  constructor(
    readonly fileName: string,
    readonly problem: string,
  ) {
    super(`${fileName} is not a Sibyl evaluation report: ${problem}`);
    this.name = "ReportFormatError";
  }
}

const REQUIRED_ARRAYS = ["metrics", "placements"] as const;

/**
 * Reads report.json's text. Only the fields the console draws are checked — the format only ever gains fields,
 * so a newer report opens too — and each problem names the field.
 */
export function readReport(fileName: string, text: string): EvaluationReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReportFormatError(fileName, `not JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new ReportFormatError(fileName, "not a JSON object");
  const report = value as Record<string, unknown>;
  if (report.format !== "sibyl-evaluation-report")
    throw new ReportFormatError(
      fileName,
      `"format" is ${JSON.stringify(report.format)}, not "sibyl-evaluation-report"`,
    );
  if (report.version !== 1)
    throw new ReportFormatError(
      fileName,
      `"version" ${JSON.stringify(report.version)} is not one this console reads (1)`,
    );
  for (const field of REQUIRED_ARRAYS)
    if (!Array.isArray(report[field])) throw new ReportFormatError(fileName, `"${field}" is not a list`);
  for (const field of ["run", "dataset", "requests", "series"])
    if (report[field] === null || typeof report[field] !== "object")
      throw new ReportFormatError(fileName, `"${field}" is missing`);
  const series = report.series as Record<string, unknown>;
  if (!Array.isArray(series.points)) throw new ReportFormatError(fileName, `"series.points" is not a list`);
  (report.placements as unknown[]).forEach((placement, index) => {
    const entry = placement as Record<string, unknown> | null;
    if (!entry || typeof entry.id !== "string" || !entry.metrics || typeof entry.metrics !== "object")
      throw new ReportFormatError(fileName, `placements[${index}] has no id or metrics`);
  });
  return value as EvaluationReport;
}
