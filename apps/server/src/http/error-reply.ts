import type { ErrorBody, ValidationError } from "@sibyl/events";
import type { FastifyReply } from "fastify";

/** Every error the API answers has the ErrorBody shape: a stable code, a message for people, maybe details. */
export function sendError(
  reply: FastifyReply,
  status: number,
  error: string,
  message: string,
  options: { errors?: ValidationError[]; retryAfterSeconds?: number } = {},
): FastifyReply {
  if (options.retryAfterSeconds !== undefined) reply.header("retry-after", String(options.retryAfterSeconds));
  const body: ErrorBody = options.errors ? { error, message, errors: options.errors } : { error, message };
  return reply.code(status).send(body);
}
