import type { FastifyReply, FastifyRequest } from "fastify";
import type { KeyKind, KeyRing } from "../keys/keys.js";
import { sendError } from "./error-reply.js";

/**
 * The key a request presents: `Authorization: Bearer <key>`, `X-Sibyl-Key: <key>`, or — for browsers sending with
 * navigator.sendBeacon, which cannot set headers — a `key` query parameter (tracking keys only).
 */
export function presentedKey(
  request: FastifyRequest,
  keys: KeyRing,
): { kind: KeyKind | undefined; presented: boolean } {
  const authorization = request.headers.authorization;
  const header =
    typeof authorization === "string" && authorization.startsWith("Bearer ")
      ? authorization.slice(7).trim()
      : request.headers["x-sibyl-key"];
  if (typeof header === "string" && header !== "") return { kind: keys.kindOf(header), presented: true };
  const query = (request.query as { key?: unknown } | undefined)?.key;
  if (typeof query === "string" && query !== "") {
    const kind = keys.kindOf(query);
    return { kind: kind === "tracking" ? kind : undefined, presented: true };
  }
  return { kind: undefined, presented: false };
}

/** Answers 401 or 403 and returns undefined unless the request carries a key of (at least) the needed kind. */
export function requireKey(
  request: FastifyRequest,
  reply: FastifyReply,
  keys: KeyRing,
  needed: KeyKind,
): KeyKind | undefined {
  const { kind, presented } = presentedKey(request, keys);
  if (kind === undefined) {
    sendError(
      reply,
      401,
      presented ? "invalid_key" : "missing_key",
      presented
        ? "the API key is not valid"
        : "send an API key: Authorization: Bearer <key> (or X-Sibyl-Key), a tracking key for behaviour events and recommendations, a server key for everything",
    );
    return undefined;
  }
  if (needed === "server" && kind !== "server") {
    sendError(
      reply,
      403,
      "server_key_required",
      "this endpoint needs a server key; a tracking key may send behaviour events and ask for recommendations only",
    );
    return undefined;
  }
  return kind;
}
