import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { EVENT_TYPES, eventRegistry } from "@sibyl/events";
import { describe, expect, it } from "vitest";
import { renderConsole } from "../testing/render-console.js";

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.change(input(id), { target: { value } });
/** The event's required fields other than event_type (hidden: it is the form's own). */
const requiredFields = (eventType: (typeof EVENT_TYPES)[number]) =>
  ((eventRegistry[eventType].schema.required ?? []) as string[]).filter((field) => field !== "event_type");
const errorList = () => [...document.querySelectorAll(".rjsf .panel.errors li")].map((li) => li.textContent);

describe("the events page", () => {
  it("lists every event type by group, and finds them by name", async () => {
    renderConsole("events");
    const list = await screen.findByRole("navigation", { name: "Event types" });
    expect(within(list).getAllByRole("link")).toHaveLength(35);
    expect(
      within(list)
        .getAllByRole("heading")
        .map((heading) => heading.textContent),
    ).toEqual(["catalog", "behaviour", "reco", "config", "identity"]);
    fireEvent.change(within(list).getByLabelText("Find an event type"), { target: { value: "cart" } });
    expect(
      within(list)
        .getAllByRole("link")
        .map((link) => link.textContent),
    ).toEqual(["AddToCart", "CartPageView", "RemoveFromCart"]);
  });

  it("renders a form for every event type the server has", async () => {
    for (const eventType of EVENT_TYPES) {
      const view = renderConsole(`events/${eventType}`);
      await screen.findByRole("heading", { name: eventType, level: 1 });
      expect(screen.getByRole("button", { name: `Send ${eventType}` })).toBeDefined();
      // Required fields are marked, and labelled by their names.
      for (const field of requiredFields(eventType))
        expect(document.querySelector(`[id="root_${field}"]`), `${eventType}.${field}`).not.toBeNull();
      view.unmount();
    }
  });

  it("generates a form from the schema, with every field's description as help and the server's errors", async () => {
    const { server } = renderConsole("events/DetailItemView");
    await screen.findByRole("heading", { name: "DetailItemView", level: 1 });
    // Descriptions are help text, tied to their input for screen readers.
    const visitor = input("root_user_info_visitor_id");
    expect(screen.getByText("Anonymous device or cookie id; always present.").id).toBe(
      "root_user_info_visitor_id__description",
    );
    expect(visitor.getAttribute("aria-describedby")).toContain("root_user_info_visitor_id__description");
    expect(screen.getByLabelText(/^visitor_id/)).toBe(visitor);

    fireEvent.click(screen.getByRole("button", { name: "Send DetailItemView" }));
    await waitFor(() =>
      expect(errorList()).toEqual(["/user_info/visitor_id is required", "/item/item_id is required"]),
    );
    // The field's own error is rendered in a later pass than the list at the top of the form.
    await waitFor(() =>
      expect(document.getElementById("root_user_info_visitor_id__error")?.textContent).toBe("is required"),
    );
    expect(server.requests.filter((request) => request.startsWith("POST"))).toEqual([]);

    // Once sent, errors follow the typing: the server's wording for a value too long, gone once it is right.
    type("root_user_info_visitor_id", "v".repeat(129));
    await waitFor(() =>
      expect(document.getElementById("root_user_info_visitor_id__error")?.textContent).toBe(
        "must NOT have more than 128 characters",
      ),
    );
    type("root_user_info_visitor_id", "ann");
    type("root_item_item_id", "tent");
    await waitFor(() => expect(errorList()).toEqual([]));

    fireEvent.click(screen.getByRole("button", { name: "Send DetailItemView" }));
    const report = await screen.findByRole("region", { name: "Server report" });
    expect(report.textContent).toContain("Server answered 200: every event was accepted");
    expect(within(report).getByTestId("accepted-count").textContent).toBe("1");
    // Only what was filled in is sent: no empty objects for the optional parts.
    expect(server.accepted).toEqual([
      { event_type: "DetailItemView", user_info: { visitor_id: "ann" }, item: { item_id: "tent" } },
    ]);
    expect(screen.getByRole("link", { name: "visitor ann" }).getAttribute("href")).toBe(
      "/console/visitors/ann",
    );
    expect(screen.getByRole("link", { name: "item tent" }).getAttribute("href")).toBe("/console/items/tent");
  });

  it("edits a filter as JSON, passing text that does not parse on for the validator to refuse", async () => {
    renderConsole("events/RecoRequest");
    await screen.findByRole("heading", { name: "RecoRequest", level: 1 });
    const filter = screen.getByLabelText("filter") as HTMLTextAreaElement;
    expect(filter.tagName).toBe("TEXTAREA");
    fireEvent.change(filter, { target: { value: '{"eq": {' } });
    expect((await screen.findByText(/^not valid JSON/)).getAttribute("role")).toBe("alert");
    type("root_user_info_visitor_id", "ann");
    type("root_placement", "trending");
    fireEvent.click(screen.getByRole("button", { name: "Send RecoRequest" }));
    await waitFor(() => expect(errorList()).toEqual(["/filter must be object"]));
    fireEvent.change(filter, { target: { value: '{"eq": {"field": "brand", "value": "Acme"}}' } });
    await waitFor(() => expect(errorList()).toEqual([]));
    expect(screen.queryByText(/^not valid JSON/)).toBeNull();
  });

  it("sends NDJSON and shows the server's report on each rejected line", async () => {
    const { server } = renderConsole("events");
    const box = await screen.findByLabelText("Events as NDJSON, one JSON event per line");
    fireEvent.change(box, {
      target: {
        value: [
          '{"event_type":"DetailItemView","user_info":{"visitor_id":"ann"},"item":{"item_id":"tent"}}',
          '{"event_type":"DetailItemView","user_info":{"visitor_id":"ann"},"item":{"item_id":"tent"},"colour":"red"}',
        ].join("\n"),
      },
    });
    fireEvent.click(screen.getByRole("button", { name: "Send lines" }));
    const report = await screen.findByRole("region", { name: "Server report" });
    expect(report.textContent).toContain("Server answered 207");
    const rows = within(report)
      .getAllByRole("row")
      .slice(1)
      .map((row) => row.textContent);
    expect(rows).toEqual(["2DetailItemView/colouris not a known property here"]);
    expect(server.accepted).toHaveLength(1);
  });
});
