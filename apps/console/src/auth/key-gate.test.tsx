import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { SERVER_KEY, TRACKING_KEY } from "../testing/fake-server.js";
import { renderConsole } from "../testing/render-console.js";

const connect = (key: string) => {
  fireEvent.change(screen.getByLabelText("Server key"), { target: { value: key } });
  fireEvent.click(screen.getByRole("button", { name: "Connect" }));
};

describe("the server key", () => {
  it("is asked for, and a refused one is explained by the status the server answered", async () => {
    renderConsole("placements", {}, { signedIn: false });
    expect(screen.getByLabelText("Server key")).toHaveProperty("type", "password");
    connect(TRACKING_KEY);
    expect((await screen.findByRole("alert")).textContent).toContain(
      "403 Forbidden: this is a tracking key, which may only send behaviour events. The console needs a server key.",
    );
    connect("sk_someone_elses");
    expect((await screen.findByText(/401 Unauthorized/)).textContent).toContain(
      "the server does not know this key",
    );
    expect(screen.getByRole("alert").textContent).toContain("GET /v1/stats answered 401 invalid_key");
    connect("  ");
    expect((await screen.findByRole("alert")).textContent).toBe("Enter the server key.");
    expect(sessionStorage.length).toBe(0);
  });

  it("is kept in session storage only once the server accepts it, and forgotten on request", async () => {
    renderConsole("placements", { placements: [] }, { signedIn: false });
    connect(SERVER_KEY);
    await screen.findByRole("heading", { name: "Placements", level: 1 });
    expect(sessionStorage.getItem("sibyl.console.serverKey")).toBe(SERVER_KEY);
    expect(localStorage.length).toBe(0);
    fireEvent.click(screen.getByRole("button", { name: "Forget key" }));
    expect(screen.getByLabelText("Server key")).toBeDefined();
    expect(sessionStorage.length).toBe(0);
  });

  it("is asked for again, saying why, when the server refuses it later", async () => {
    sessionStorage.setItem("sibyl.console.serverKey", "sk_revoked");
    renderConsole("placements", {}, { signedIn: false });
    expect((await screen.findByRole("alert")).textContent).toContain("401 Unauthorized");
    expect(screen.getByRole("alert").textContent).toContain("GET /v1/placements answered 401 invalid_key");
    expect(sessionStorage.length).toBe(0);
  });
});
