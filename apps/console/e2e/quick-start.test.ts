import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, browserAvailability, launchBrowser } from "./browser.js";
import { type ServerProcess, startServer } from "./server-process.js";

const README = new URL("../README.md", import.meta.url);

/** The README's first sh block: the commands a reader runs. */
function readmeCommands(): string[] {
  const block = /```sh\n([\s\S]*?)```/.exec(readFileSync(README, "utf8"))?.[1];
  if (block === undefined) throw new Error("the console's README has no ```sh block");
  return block.split("\n").filter((line) => line.trim() !== "");
}

const availability = browserAvailability();

describe.runIf(availability.available)("the README's quick start", () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    // As `npm start` runs it: no keys given, so development keys are created in ./.sibyl-data.
    server = await startServer({ developmentKeys: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("gets the key as the README says and signs in at /console with it", async () => {
    const keyCommand = readmeCommands().find((line) => line.startsWith("node -p"));
    expect(keyCommand, "the README's command printing the server key").toBeDefined();
    const command = keyCommand!.replace(/\s+#.*$/, "");
    const key = execSync(command, { cwd: server.folder, encoding: "utf8" }).trim();
    expect(key).toMatch(/\S{16,}/);
    const { page } = browser;
    await page.goto(`${server.url}/console`);
    await page.getByLabel("Server key").fill(key);
    await page.getByRole("button", { name: "Connect" }).click();
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    await page.getByRole("heading", { name: "No events yet" }).waitFor();
  });
});
