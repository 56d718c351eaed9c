import { SibylError } from "./errors.js";

interface WebCrypto {
  randomUUID?(): string;
  getRandomValues<T extends Uint8Array>(array: T): T;
}

/**
 * A random (version 4) UUID for an event's `event_id`, so a retried batch is applied once. `crypto.randomUUID`
 * exists only in secure contexts (https pages, Node); a plain-http page still has `crypto.getRandomValues`.
 */
export function newEventId(): string {
  const crypto = (globalThis as { crypto?: WebCrypto }).crypto;
  if (crypto?.randomUUID) return crypto.randomUUID();
  if (!crypto) throw new SibylError("this runtime has no Web Crypto API to draw event ids from");
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
