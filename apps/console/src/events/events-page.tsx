import { useId, useMemo, useState } from "react";
import type { EventTypeInfo } from "../api/types.js";
import { Link } from "../app/router.js";
import { useSchemas } from "../schemas/use-schemas.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/feedback.js";
import { usePageTitle } from "../ui/page-title.js";
import { EventSender } from "./event-sender.js";
import { NdjsonSender } from "./ndjson-sender.js";

const GROUP_ORDER = ["catalog", "behaviour", "reco", "config", "identity"];

/** Every event type, each with a form generated from its schema; and a box for NDJSON. */
export function EventsPage({ eventType }: { eventType: string | undefined }) {
  usePageTitle(eventType ? `Send ${eventType}` : "Send events");
  const schemas = useSchemas();
  const [filter, setFilter] = useState("");
  const filterId = useId();

  const groups = useMemo(() => {
    if (schemas.status !== "ok") return [];
    const wanted = filter.trim().toLowerCase();
    const byGroup = new Map<string, EventTypeInfo[]>();
    for (const info of schemas.value.event_types) {
      if (wanted && !info.event_type.toLowerCase().includes(wanted)) continue;
      const list = byGroup.get(info.group) ?? [];
      list.push(info);
      byGroup.set(info.group, list);
    }
    const rank = (group: string) =>
      GROUP_ORDER.includes(group) ? GROUP_ORDER.indexOf(group) : GROUP_ORDER.length;
    return [...byGroup].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  }, [schemas, filter]);

  if (schemas.status === "loading") return <Loading what="the event schemas" />;
  if (schemas.status === "error") return <ErrorMessage error={schemas.error} />;
  const selected = schemas.value.event_types.find((info) => info.event_type === eventType);

  return (
    <div className="events-page two-columns">
      <nav className="side-list" aria-label="Event types">
        <label htmlFor={filterId}>Find an event type</label>
        <input
          id={filterId}
          type="search"
          value={filter}
          placeholder="e.g. cart"
          onChange={(event) => setFilter(event.target.value)}
        />
        {groups.map(([group, list]) => (
          <section key={group}>
            <h2>{group}</h2>
            <ul>
              {list.map((info) => (
                <li key={info.event_type}>
                  <Link
                    to={`events/${info.event_type}`}
                    aria-current={info.event_type === eventType ? "page" : undefined}
                  >
                    {info.event_type}
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ))}
        {groups.length === 0 ? <p>No event type contains “{filter}”.</p> : null}
      </nav>
      <div className="page-body">
        {selected ? (
          <EventSender key={selected.event_type} info={selected} files={schemas.value.schemas} />
        ) : eventType ? (
          <EmptyState title={`No event type ${eventType}`}>
            <p>The server has no event type of that name. Pick one from the list.</p>
          </EmptyState>
        ) : (
          <>
            <h1>Send events</h1>
            <EmptyState title="Pick an event type">
              <p>
                Choose an event type on the left: its form is generated from the schema the server validates
                with, shows every field's description, and checks what you type the way the server will. Start
                with <Link to="events/ItemUpsert">ItemUpsert</Link> to add an item to the catalog, then{" "}
                <Link to="events/DetailItemView">DetailItemView</Link> to have a visitor view it.
              </p>
            </EmptyState>
            <h2>Or paste NDJSON</h2>
            <NdjsonSender />
          </>
        )}
      </div>
    </div>
  );
}
