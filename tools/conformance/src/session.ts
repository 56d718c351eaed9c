import { readFileSync } from "node:fs";
import type { SibylEvent } from "@sibyl/client";

/** One recommendation request of the session: what every player asks, in order. */
export interface SessionRequest {
  placement: string;
  context_items?: string[];
  count: number;
}

/** The scripted session every language's player plays (session.json). */
export interface Session {
  /** Sent once by the orchestrator with the server key: the catalog and earlier shoppers' traffic. */
  catalog: SibylEvent[];
  /** One visitor's behaviour, each with an explicit event_time; "$VISITOR" stands for the player's visitor id. */
  events: SibylEvent[];
  requests: SessionRequest[];
}

/** What a player prints for one request in the recommend phase: one JSON line. */
export interface PlayedRequest {
  placement: string;
  items: string[];
}

export const SESSION_PATH = new URL("../session.json", import.meta.url);

export function loadSession(path: URL | string = SESSION_PATH): Session {
  return JSON.parse(readFileSync(path, "utf8")) as Session;
}

/** The session's events as the given visitor's: every occurrence of "$VISITOR", in any string, replaced. */
export function eventsOf(session: Session, visitor: string): SibylEvent[] {
  // Replacing in the JSON text reaches "$VISITOR" inside longer strings too; the id is escaped as JSON.
  const escaped = JSON.stringify(visitor).slice(1, -1);
  return JSON.parse(JSON.stringify(session.events).replaceAll("$VISITOR", escaped)) as SibylEvent[];
}
