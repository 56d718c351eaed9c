// The TypeScript session player. Same command line as every language's player:
//   ts-player.ts --base-url URL --key TRACKING_KEY --session PATH --visitor VID --phase track|recommend
// track: sends the session's events through track(), then flush() and close(); exits 0 only if all were accepted.
// recommend: prints one JSON line {"placement", "items"} per request of the session.
import { parseArgs } from "node:util";
import { SibylClient, SibylError } from "@sibyl/client";
import { eventsOf, loadSession, type PlayedRequest } from "../src/session.js";

const { values } = parseArgs({
  options: {
    "base-url": { type: "string" },
    key: { type: "string" },
    session: { type: "string" },
    visitor: { type: "string" },
    phase: { type: "string" },
  },
  strict: true,
});
const baseUrl = values["base-url"];
const { key, session: sessionPath, visitor, phase } = values;
if (!baseUrl || !key || !sessionPath || !visitor || (phase !== "track" && phase !== "recommend")) {
  console.error(
    "usage: ts-player.ts --base-url URL --key TRACKING_KEY --session PATH --visitor VID --phase track|recommend",
  );
  process.exit(2);
}

const session = loadSession(sessionPath);
const client = new SibylClient({ baseUrl, key, pageHide: false });

async function track(): Promise<void> {
  let dropped = 0;
  for (const event of eventsOf(session, visitor!)) if (!client.track(event)) dropped++;
  await client.flush();
  await client.close();
  if (dropped > 0) throw new Error(`${dropped} event(s) dropped by a full queue`);
}

async function recommend(): Promise<void> {
  for (const request of session.requests) {
    const response = await client.recommend(request.placement, {
      user_info: { visitor_id: visitor! },
      context_item_ids: request.context_items,
      count: request.count,
    });
    const played: PlayedRequest = {
      placement: request.placement,
      items: response.items.map((item) => item.item_id),
    };
    console.log(JSON.stringify(played));
  }
  await client.close();
}

try {
  await (phase === "track" ? track() : recommend());
} catch (error) {
  if (!(error instanceof SibylError)) throw error;
  console.error(`${phase} phase failed: ${error.message}`);
  process.exitCode = 1;
}
