// Test support (not part of the console): the whole console at a URL, signed in (or not) against a fake server.
import { render } from "@testing-library/react";
import { App } from "../app/app.js";
import { type FakeEngine, fakeServer, SERVER_KEY } from "./fake-server.js";

export function renderConsole(path: string, engine: FakeEngine = {}, options: { signedIn?: boolean } = {}) {
  const server = fakeServer(engine);
  if (options.signedIn !== false) sessionStorage.setItem("sibyl.console.serverKey", SERVER_KEY);
  window.history.replaceState(null, "", `/console/${path}`);
  const view = render(<App fetch={server.fetch} storage={sessionStorage} pollMs={20} />);
  return { ...view, server };
}
