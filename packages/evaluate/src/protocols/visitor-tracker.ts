import type { SibylEvent, UserInfo } from "@sibyl/events";
import { interactionOf } from "../targets/interactions.js";

interface VisitorRecord {
  userInfo: UserInfo;
  /** Every item the visitor interacted with, in first-interaction order. */
  items: Set<string>;
  lastItem: string | undefined;
  lastTimeMs: number;
}

/** What the protocols need to know per visitor: their items (for exclusion), latest item (context) and time. */
export class VisitorTracker {
  private readonly visitors = new Map<string, VisitorRecord>();

  observe(event: SibylEvent, timeMs: number): void {
    const interaction = interactionOf(event);
    if (!interaction?.personal || interaction.items.length === 0) return;
    let record = this.visitors.get(interaction.visitor);
    if (!record) {
      record = { userInfo: interaction.userInfo, items: new Set(), lastItem: undefined, lastTimeMs: timeMs };
      this.visitors.set(interaction.visitor, record);
    }
    record.userInfo = interaction.userInfo;
    for (const item of interaction.items) record.items.add(item);
    record.lastItem = interaction.items.at(-1);
    record.lastTimeMs = timeMs;
  }

  get(visitor: string): Readonly<VisitorRecord> | undefined {
    return this.visitors.get(visitor);
  }

  /** Visitor keys in the order they first interacted. */
  keys(): IterableIterator<string> {
    return this.visitors.keys();
  }
}
