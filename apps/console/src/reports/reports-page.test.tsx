import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { FakeUPlot } from "../testing/fake-uplot.js";
import { reportFixture } from "../testing/report-fixture.js";
import { renderConsole } from "../testing/render-console.js";
import { ReportFormatError, readReport } from "./read-report.js";

const open = (name: string, text: string) =>
  fireEvent.change(screen.getByLabelText("Open a report.json"), {
    target: { files: [new File([text], name, { type: "application/json" })] },
  });

describe("the reports page", () => {
  it("says what a report is until one is opened, then draws it", async () => {
    const { server } = renderConsole("reports");
    await screen.findByRole("heading", { name: "No report open" });
    open("report.json", JSON.stringify(reportFixture()));
    const table = await screen.findByRole("table", { name: /600 requests/ });
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((cell) => cell.textContent),
    ).toEqual(["placement", "HR@10", "NDCG@10", "Novelty", "p50 / p99 µs"]);
    const row = within(table).getByRole("row", { name: /home_for_you/ });
    expect([...row.querySelectorAll("td")].map((cell) => cell.textContent)).toEqual([
      "0.4000",
      "0.2000",
      "9.5 bits",
      "40 / 120",
    ]);
    expect(screen.getByText("skipped: warmup 160, repeat 40")).toBeDefined();
    const chart = () => FakeUPlot.instances.find((entry) => !entry.destroyed);
    await waitFor(() => expect(chart()?.labels).toEqual(["home_for_you", "baseline:popular"]));
    expect(chart()!.data[1]).toEqual([0.2 / 3, (0.2 * 2) / 3, 0.2]);
    fireEvent.change(screen.getByLabelText("Metric"), { target: { value: "hr" } });
    await waitFor(() => expect(chart()!.data[1]).toEqual([0.4 / 3, (0.4 * 2) / 3, 0.4]));
    // Read here, sent nowhere.
    expect(server.requests.filter((request) => request.startsWith("POST"))).toEqual([]);
  });

  it("says what is wrong with a file that is not a report", async () => {
    renderConsole("reports");
    await screen.findByRole("heading", { name: "No report open" });
    open("events.ndjson", '{"event_type":"HomePageView"}\n{}');
    expect((await screen.findByRole("alert")).textContent).toContain(
      "events.ndjson is not a Sibyl evaluation report: not JSON",
    );
  });
});

describe("readReport", () => {
  it("names the field a report lacks", () => {
    const report = reportFixture() as unknown as Record<string, unknown>;
    const without = (field: string) => JSON.stringify({ ...report, [field]: undefined });
    expect(() => readReport("r.json", "[]")).toThrow("not a JSON object");
    expect(() => readReport("r.json", JSON.stringify({ ...report, format: "other" }))).toThrow(
      /"format" is "other"/,
    );
    expect(() => readReport("r.json", JSON.stringify({ ...report, version: 2 }))).toThrow(/"version" 2/);
    expect(() => readReport("r.json", without("placements"))).toThrow(/"placements" is not a list/);
    expect(() => readReport("r.json", without("dataset"))).toThrow(/"dataset" is missing/);
    expect(() => readReport("r.json", JSON.stringify({ ...report, placements: [{}] }))).toThrow(
      ReportFormatError,
    );
    expect(readReport("r.json", JSON.stringify(report)).placements).toHaveLength(2);
  });
});
