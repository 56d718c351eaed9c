import { type ChangeEvent, useId, useState } from "react";
import { asError } from "../app/use-async.js";
import { EmptyState, ErrorMessage } from "../ui/feedback.js";
import { usePageTitle } from "../ui/page-title.js";
import { type EvaluationReport, readReport } from "./read-report.js";
import { ReportView } from "./report-view.js";

/** Opens an evaluation's report.json from this computer (nothing is sent anywhere) and draws it. */
export function ReportsPage() {
  usePageTitle("Reports");
  const inputId = useId();
  const [report, setReport] = useState<{ name: string; report: EvaluationReport } | null>(null);
  const [error, setError] = useState<Error | null>(null);

  const open = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    try {
      setReport({ name: file.name, report: readReport(file.name, await file.text()) });
      setError(null);
    } catch (failure) {
      setReport(null);
      setError(asError(failure));
    }
  };

  return (
    <>
      <h1>Evaluation reports</h1>
      <div className="file-open">
        <label htmlFor={inputId}>Open a report.json</label>
        <input id={inputId} type="file" accept=".json,application/json" onChange={open} />
      </div>
      {error ? <ErrorMessage error={error} /> : null}
      {report ? (
        <ReportView name={report.name} report={report.report} />
      ) : error ? null : (
        <EmptyState title="No report open">
          <p>
            An evaluation replays recorded events and scores each placement against what visitors did next; it
            writes <code>report.json</code>. Open one above to see each placement's accuracy, how it moved
            over the run, and its answer time. The file is read in this browser only.
          </p>
        </EmptyState>
      )}
    </>
  );
}
