import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's chromium, which CI installs with apt. */
export const CHROMIUM = process.env.SIBYL_CHROMIUM ?? "/usr/bin/chromium";

/** Where the screenshots go: test artefacts, not committed. */
export const RESULTS_DIR = fileURLToPath(new URL("../test-results/", import.meta.url));

/** A laptop screen. */
export const VIEWPORT = { width: 1366, height: 860 };

/**
 * Whether the browser tests can run here. In CI a missing browser is a failure (the tests must run there);
 * elsewhere the tests are skipped, saying so loudly.
 */
export function browserAvailability(): { available: true } | { available: false; reason: string } {
  if (existsSync(CHROMIUM)) return { available: true };
  const reason = `no chromium at ${CHROMIUM} (apt install chromium, or set SIBYL_CHROMIUM)`;
  if (process.env.CI) throw new Error(`the console's browser tests must run in CI, but there is ${reason}`);
  console.warn(`\n*** SKIPPING the console's browser tests: ${reason} ***\n`);
  return { available: false, reason };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}

/** A fresh headless chromium with its own profile, no background networking, and a laptop-sized page. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "sibyl-console-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: VIEWPORT,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as test-results/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.png`);
  // From the top, so sticky panels sit where a reader first sees them.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  return path;
}
