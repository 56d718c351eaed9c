import { type Durability, formatPosition, openEngine } from "@sibyl/engine";
import { engineErrorOf } from "../../http/routes/events.js";
import type { EventSink } from "./event-sink.js";

/**
 * A data directory as the destination: events are appended to its log and applied, as the server does, so the
 * engine refuses what it could not apply (a request for an unknown placement) and stamps missing event times.
 */
export async function openDataDirSink(dataDir: string, durability: Durability): Promise<EventSink> {
  let snapshots = 0;
  const engine = await openEngine({ dataDir, durability, onSnapshot: () => snapshots++ });
  const duplicatesBefore = engine.stats().duplicates;
  return {
    destination: { dataDir, durability },
    usesStdout: false,
    async append(events) {
      const result = await engine.append(events);
      return {
        accepted: result.accepted,
        refused: result.rejected.map(({ index, error }) => ({
          index,
          error: engineErrorOf(error, { event: events[index]!, engine }),
        })),
      };
    },
    close: () => engine.close(),
    report: () => ({
      duplicates: engine.stats().duplicates - duplicatesBefore,
      snapshots,
      lastPosition: engine.lastApplied && formatPosition(engine.lastApplied),
    }),
  };
}
