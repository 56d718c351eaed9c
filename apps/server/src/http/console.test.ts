import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../server/start-server.js";
import { sendError } from "./error-reply.js";
import { consoleDistDir, consoleRoutes } from "./routes/console.js";
import { errorBodyProblems, send, startTestServer } from "./test-support.js";

const INDEX =
  '<!doctype html><html><head><script src="/console/assets/index-1a2b3c.js"></script></head></html>';

/** A fastify instance serving only the console routes from `dir`, on a real port. */
async function serveConsole(dir: string): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  // As the server answers paths it has no route for (fetch resolves "/console/../x" to "/x").
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, "not_found", `no endpoint ${request.url}`),
  );
  await consoleRoutes(app, { dir });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return { app, url };
}

describe("the console's files", () => {
  let root: string;
  let built: { app: FastifyInstance; url: string };
  let unbuilt: { app: FastifyInstance; url: string };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "sibyl-console-"));
    const dist = join(root, "dist");
    mkdirSync(join(dist, "assets"), { recursive: true });
    writeFileSync(join(dist, "index.html"), INDEX);
    writeFileSync(join(dist, "assets", "index-1a2b3c.js"), "console.log('console');");
    writeFileSync(join(dist, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    writeFileSync(join(root, "secret.txt"), "outside the console");
    built = await serveConsole(dist);
    unbuilt = await serveConsole(join(root, "not-built"));
  });
  afterAll(async () => {
    await built?.app.close();
    await unbuilt?.app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("serves index.html at /console, /console/ and every page of the app, to be revalidated", async () => {
    for (const path of [
      "/console",
      "/console/",
      "/console/visitors/ann",
      "/console/placements/home_for_you",
    ]) {
      const answer = await send(`${built.url}${path}`);
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get("content-type"), path).toMatch(/^text\/html/);
      expect(answer.headers.get("cache-control"), path).toBe("no-cache");
      expect(answer.text, path).toBe(INDEX);
    }
  });

  it("serves hashed assets for a year, immutable, and other files to be revalidated", async () => {
    const asset = await send(`${built.url}/console/assets/index-1a2b3c.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(asset.text).toBe("console.log('console');");
    const icon = await send(`${built.url}/console/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(icon.headers.get("cache-control")).toBe("no-cache");
  });

  it("answers 404 for a file it does not have, and never serves a file outside its folder", async () => {
    for (const path of [
      "/console/assets/missing-000000.js",
      "/console/../secret.txt",
      "/console/%2e%2e/secret.txt",
      "/console/..%2fsecret.txt",
    ]) {
      const answer = await send(`${built.url}${path}`);
      expect(answer.text, path).not.toContain("outside the console");
      if (answer.status === 200) expect(answer.text, path).toBe(INDEX);
      else {
        expect(answer.status, path).toBe(404);
        expect(errorBodyProblems(answer.json), path).toEqual([]);
      }
    }
    const missing = await send(`${built.url}/console/assets/missing-000000.js`);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ error: "not_found" });
  });

  it("answers 404 saying how to build the console when it is not built", async () => {
    for (const path of [
      "/console",
      "/console/",
      "/console/visitors/ann",
      "/console/assets/index-1a2b3c.js",
    ]) {
      const answer = await send(`${unbuilt.url}${path}`);
      expect(answer.status, path).toBe(404);
      expect(errorBodyProblems(answer.json), path).toEqual([]);
      expect(answer.json, path).toMatchObject({ error: "console_not_built" });
      expect((answer.json as { message: string }).message).toContain("pnpm --filter @sibyl/console build");
    }
  });
});

describe("the server", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it("serves the @sibyl/console package's build at /console, without a key", async () => {
    const answer = await send(`${server.url}/console/`);
    if (existsSync(join(consoleDistDir(), "index.html"))) {
      expect(answer.status).toBe(200);
      expect(answer.text).toContain("/console/assets/");
    } else {
      expect(answer.status).toBe(404);
      expect(answer.json).toMatchObject({ error: "console_not_built" });
    }
    // The API's answers are unchanged by the console's routes.
    expect((await send(`${server.url}/v1/nothing`)).json).toMatchObject({ error: "not_found" });
  });
});
