import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, resolve, sep } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { sendError } from "../error-reply.js";

export const CONSOLE_PATH = "/console";

/** How long browsers may keep the console's hashed assets: a changed file gets a new name. */
const ASSET_MAX_AGE_MS = 365 * 24 * 3600 * 1000;

export interface ConsoleRoutesOptions {
  /** The built console (index.html and assets/); the @sibyl/console package's dist/ by default. */
  dir?: string;
}

/** Where the @sibyl/console package keeps its build, wherever the package is installed. */
export function consoleDistDir(): string {
  const packageJson = createRequire(import.meta.url).resolve("@sibyl/console/package.json");
  return join(dirname(packageJson), "dist");
}

/**
 * GET /console, /console/ and /console/…: the web console's static files. A path naming a file serves it — hashed assets under assets/
 * for a year, immutable; anything else must be revalidated. Any other path without a file extension is a route of
 * the single-page app and gets index.html. When the console has not been built every path answers 404 saying how
 * to build it, and the server runs on. No key: the console asks for the server key and sends it with its API calls.
 */
export async function consoleRoutes(app: FastifyInstance, options: ConsoleRoutesOptions = {}): Promise<void> {
  const dir = resolve(options.dir ?? consoleDistDir());
  await app.register(async (scope) => {
    // Registered in its own scope with `serve: false`: only reply.sendFile is wanted, for these routes alone.
    await scope.register(fastifyStatic, { serve: false });
    const serve = async (request: FastifyRequest<{ Params: { "*"?: string } }>, reply: FastifyReply) => {
      if (!isFile(join(dir, "index.html")))
        return sendError(
          reply,
          404,
          "console_not_built",
          `the console is not built (no ${join(dir, "index.html")}): run \`pnpm --filter @sibyl/console build\`, ` +
            "or start the server with `npm start`, which builds it",
        );
      const path = request.params["*"] ?? "";
      const file = resolve(dir, path);
      if (file.startsWith(dir + sep) && isFile(file)) {
        if (path.startsWith("assets/"))
          return reply.sendFile(path, dir, { maxAge: ASSET_MAX_AGE_MS, immutable: true });
        reply.header("cache-control", "no-cache");
        return reply.sendFile(path, dir, { cacheControl: false });
      }
      if (extname(path) !== "")
        return sendError(reply, 404, "not_found", `the console has no file ${CONSOLE_PATH}/${path}`);
      reply.header("cache-control", "no-cache");
      return reply.sendFile("index.html", dir, { cacheControl: false });
    };
    // The bare path and the one with a slash are routes of their own: the wildcard matches neither.
    scope.get(CONSOLE_PATH, serve);
    scope.get(`${CONSOLE_PATH}/`, serve);
    scope.get(`${CONSOLE_PATH}/*`, serve);
  });
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
