import { useState } from "react";
import { ApiError } from "../api/client.js";
import type { VisitorInspection } from "../api/types.js";
import { useApi } from "../app/api-context.js";
import { Link, navigate, segment } from "../app/router.js";
import { useAsync } from "../app/use-async.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/feedback.js";
import { formatRate, formatTime } from "../ui/format.js";
import { IdLookup } from "../ui/id-lookup.js";
import { usePageTitle } from "../ui/page-title.js";
import { VisitorRecommendations } from "./visitor-recommendations.js";

type Kind = "visitor" | "user";

const itemLink = (id: string) => <Link to={`items/${segment(id)}`}>{id}</Link>;

/** A visitor (or logged-in user): history, session, cart, lists, purchases, affinities, and each placement's list. */
export function VisitorPage({ visitorId, kind }: { visitorId: string | undefined; kind: Kind }) {
  usePageTitle(visitorId ? `${kind === "user" ? "User" : "Visitor"} ${visitorId}` : "Visitors");
  const api = useApi();
  const [lookupKind, setLookupKind] = useState<Kind>(kind);
  const visitor = useAsync(
    () => (visitorId ? api.visitor(visitorId, kind) : Promise.resolve(null)),
    [api, visitorId, kind],
  );
  const lookup = (id: string) =>
    navigate(`visitors/${segment(id)}${lookupKind === "user" ? "?kind=user" : ""}`);
  return (
    <div className="inspector">
      <IdLookup label="Visitor or user id" initial={visitorId} placeholder="e.g. ann" onLookup={lookup}>
        <fieldset className="inline-choice">
          <legend>The id is a</legend>
          {(["visitor", "user"] as const).map((choice) => (
            <label key={choice}>
              <input
                type="radio"
                name="kind"
                value={choice}
                checked={lookupKind === choice}
                onChange={() => setLookupKind(choice)}
              />{" "}
              {choice === "visitor" ? "visitor_id" : "user_id"}
            </label>
          ))}
        </fieldset>
      </IdLookup>
      {!visitorId ? (
        <>
          <h1>Visitors</h1>
          <EmptyState title="Inspect a visitor">
            <p>
              Enter the <code>visitor_id</code> (the anonymous device or cookie id) or a logged-in{" "}
              <code>user_id</code> above. A visitor appears with their first behaviour event — send a{" "}
              <Link to="events/DetailItemView">DetailItemView</Link> to create one.
            </p>
          </EmptyState>
        </>
      ) : visitor.status === "loading" ? (
        <Loading what={`${kind} ${visitorId}`} />
      ) : visitor.status === "error" ? (
        visitor.error instanceof ApiError && visitor.error.status === 404 ? (
          <EmptyState title={`No ${kind} ${visitorId}`}>
            <p>
              The engine keeps no profile for this {kind === "user" ? "user_id" : "visitor_id"}. Send a
              behaviour event for it — a <Link to="events/DetailItemView">DetailItemView</Link>, say — or, for
              a user, check the “user_id” choice above.
            </p>
          </EmptyState>
        ) : (
          <ErrorMessage error={visitor.error} />
        )
      ) : visitor.value ? (
        <VisitorDetails visitor={visitor.value} />
      ) : null}
    </div>
  );
}

function VisitorDetails({ visitor }: { visitor: VisitorInspection }) {
  const lists = Object.entries(visitor.lists);
  return (
    <>
      <h1>
        {visitor.kind === "user" ? "User" : "Visitor"} <span className="id">{visitor.id}</span>
      </h1>
      <div className="cards">
        <section className="card">
          <h2>Session</h2>
          <p>Started {formatTime(visitor.session.started_at)}</p>
          {visitor.session.items.length === 0 ? (
            <p>No items in the current session.</p>
          ) : (
            <ul className="chips">
              {visitor.session.items.map((entry) => (
                <li key={`${entry.item_id}-${entry.time}-${entry.kind}`}>
                  {itemLink(entry.item_id)} <span className="hint">{entry.kind}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card">
          <h2>Cart</h2>
          {visitor.cart.length === 0 ? (
            <p>The cart is empty.</p>
          ) : (
            <ul className="chips">
              {visitor.cart.map((id) => (
                <li key={id}>{itemLink(id)}</li>
              ))}
            </ul>
          )}
          <h2>Purchased</h2>
          {visitor.purchased.length === 0 ? (
            <p>Nothing bought yet.</p>
          ) : (
            <ul className="chips">
              {visitor.purchased.map((entry) => (
                <li key={entry.item_id}>
                  {itemLink(entry.item_id)} × {entry.count}
                </li>
              ))}
            </ul>
          )}
          {lists.map(([name, items]) => (
            <div key={name}>
              <h2>List {name}</h2>
              <ul className="chips">
                {items.map((id) => (
                  <li key={id}>{itemLink(id)}</li>
                ))}
              </ul>
            </div>
          ))}
        </section>
        <section className="card">
          <h2>Affinities</h2>
          {visitor.affinities.categories.length + visitor.affinities.brands.length === 0 ? (
            <p>
              None yet: they come from the categories and brands of catalogued items the visitor interacts
              with.
            </p>
          ) : (
            <dl className="fields">
              {visitor.affinities.categories.map((entry) => (
                <div key={`c-${entry.category}`}>
                  <dt>{entry.category}</dt>
                  <dd>{formatRate(entry.weight)}</dd>
                </div>
              ))}
              {visitor.affinities.brands.map((entry) => (
                <div key={`b-${entry.brand}`}>
                  <dt>brand {entry.brand}</dt>
                  <dd>{formatRate(entry.weight)}</dd>
                </div>
              ))}
            </dl>
          )}
        </section>
      </div>
      <section>
        <h2>History</h2>
        {visitor.history.length === 0 ? (
          <p>No interactions kept.</p>
        ) : (
          <table className="history">
            <caption>Most recent first</caption>
            <thead>
              <tr>
                <th scope="col">time</th>
                <th scope="col">kind</th>
                <th scope="col">item</th>
              </tr>
            </thead>
            <tbody>
              {visitor.history.map((entry) => (
                <tr key={`${entry.item_id}-${entry.time}-${entry.kind}`}>
                  <td>{formatTime(entry.time)}</td>
                  <td>{entry.kind}</td>
                  <td>{itemLink(entry.item_id)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <VisitorRecommendations visitor={visitor} />
    </>
  );
}
