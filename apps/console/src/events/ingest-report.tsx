import type { IngestAnswer } from "../api/types.js";

const STATUS_MEANING: Record<number, string> = {
  200: "every event was accepted",
  207: "some events were accepted, some lines were rejected",
  400: "no event was accepted",
  403: "no event was accepted: the key may not send these event types",
};

/** The server's per-line report of one POST /v1/events: what was accepted, and each rejected line's errors. */
export function IngestReport({ answer }: { answer: IngestAnswer }) {
  const { status, result } = answer;
  const ok = result.rejected.length === 0;
  return (
    <section
      className={`ingest-report ${ok ? "ok" : "rejected"}`}
      aria-label="Server report"
      aria-live="polite"
    >
      <h3>
        Server answered {status}: {STATUS_MEANING[status] ?? "see below"}
      </h3>
      <p>
        Accepted <strong data-testid="accepted-count">{result.accepted}</strong>{" "}
        {result.accepted === 1 ? "event" : "events"}; rejected {result.rejected.length}{" "}
        {result.rejected.length === 1 ? "line" : "lines"}.
      </p>
      {result.rejected.length > 0 ? (
        <table>
          <caption>Rejected lines, each error with the JSON pointer of the value to fix</caption>
          <thead>
            <tr>
              <th scope="col">line</th>
              <th scope="col">event type</th>
              <th scope="col">pointer</th>
              <th scope="col">error</th>
            </tr>
          </thead>
          <tbody>
            {result.rejected.flatMap((line) =>
              line.errors.map((error, index) => (
                <tr key={`${line.line} ${error.pointer} ${error.message}`}>
                  <td>{index === 0 ? line.line : ""}</td>
                  <td>{index === 0 ? (line.event_type ?? "—") : ""}</td>
                  <td>
                    <code>{error.pointer || "(line)"}</code>
                  </td>
                  <td>{error.message}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
