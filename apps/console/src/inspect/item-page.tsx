import type { ItemInspection } from "../api/types.js";
import { ApiError } from "../api/client.js";
import { useApi } from "../app/api-context.js";
import { Link, navigate, segment } from "../app/router.js";
import { useAsync } from "../app/use-async.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/feedback.js";
import { formatNumber, formatRate, formatTime } from "../ui/format.js";
import { IdLookup } from "../ui/id-lookup.js";
import { usePageTitle } from "../ui/page-title.js";
import { ContextPreview } from "./context-preview.js";

/** What each neighbour table counts, and which strategies read it. */
function tableMeaning(key: string): string {
  if (key === "basket")
    return "bought in the same order (cooccurrence with same_transaction: frequently bought together)";
  const [from, to] = key.split(">");
  return `${from} of this item, then ${to} of the neighbour by the same visitor (cooccurrence ${from} → ${to}; session and personal read it too)`;
}

/** An item: its catalog entry, stock, decayed counters, neighbours, and what placements show beside it. */
export function ItemPage({ itemId }: { itemId: string | undefined }) {
  usePageTitle(itemId ? `Item ${itemId}` : "Items");
  const api = useApi();
  const item = useAsync(() => (itemId ? api.item(itemId) : Promise.resolve(null)), [api, itemId]);
  return (
    <div className="inspector">
      <IdLookup
        label="Item id"
        initial={itemId}
        placeholder="e.g. tent"
        onLookup={(id) => navigate(`items/${segment(id)}`)}
      />
      {!itemId ? (
        <>
          <h1>Items</h1>
          <EmptyState title="Inspect an item">
            <p>
              Enter an item id above. Items enter the catalog with an{" "}
              <Link to="events/ItemUpsert">ItemUpsert</Link> event; behaviour events naming an item make it
              known too. Neighbour item ids on the <Link to="visitors">visitor</Link> and item pages are links
              here.
            </p>
          </EmptyState>
        </>
      ) : item.status === "loading" ? (
        <Loading what={`item ${itemId}`} />
      ) : item.status === "error" ? (
        item.error instanceof ApiError && item.error.status === 404 ? (
          <EmptyState title={`No item ${itemId}`}>
            <p>
              The engine knows no item <code>{itemId}</code>. Add it with an{" "}
              <Link to="events/ItemUpsert">ItemUpsert</Link> event, or check the id.
            </p>
          </EmptyState>
        ) : (
          <ErrorMessage error={item.error} />
        )
      ) : item.value ? (
        <ItemDetails item={item.value} />
      ) : null}
    </div>
  );
}

function ItemDetails({ item }: { item: ItemInspection }) {
  const { catalog } = item;
  const popularity = Object.entries(item.popularity);
  const highest = Math.max(1e-9, ...popularity.map(([, count]) => count ?? 0));
  const tables = Object.entries(item.neighbours);
  return (
    <>
      <h1>
        Item <span className="id">{item.item_id}</span>
      </h1>
      <p className="badges">
        <span className="badge">
          {item.catalogued ? "in the catalog" : "not in the catalog (seen in events only)"}
        </span>{" "}
        <span className="badge">{item.in_stock ? "in stock" : "out of stock"}</span>{" "}
        {item.removed ? <span className="badge warning">removed: never recommended</span> : null}
      </p>
      <div className="cards">
        <section className="card">
          <h2>Catalog</h2>
          {catalog ? (
            <dl className="fields">
              <dt>title</dt>
              <dd>{catalog.title}</dd>
              <dt>item_type</dt>
              <dd>{catalog.item_type}</dd>
              <dt>categories</dt>
              <dd>{catalog.categories.join(", ") || "—"}</dd>
              <dt>tags</dt>
              <dd>{catalog.tags.join(", ") || "—"}</dd>
              <dt>brand</dt>
              <dd>{catalog.brand ?? "—"}</dd>
              <dt>price</dt>
              <dd>
                {catalog.price === undefined
                  ? "—"
                  : `${formatNumber(catalog.price)} ${catalog.currency ?? ""}`}
                {catalog.original_price !== undefined ? ` (was ${formatNumber(catalog.original_price)})` : ""}
              </dd>
              <dt>published_at</dt>
              <dd>{formatTime(catalog.published_at)}</dd>
              <dt>available_at</dt>
              <dd>{formatTime(catalog.available_at)}</dd>
              <dt>attributes</dt>
              <dd>
                {Object.keys(catalog.attributes).length === 0 ? (
                  "—"
                ) : (
                  <code>{JSON.stringify(catalog.attributes)}</code>
                )}
              </dd>
            </dl>
          ) : (
            <p>
              No catalog entry: send an <Link to="events/ItemUpsert">ItemUpsert</Link> for this id so
              placements can filter and describe it.
            </p>
          )}
        </section>
        <section className="card">
          <h2>Counters</h2>
          <p className="hint">
            Interactions, decayed to the engine's latest event time (popularity half-life).
          </p>
          {popularity.length === 0 ? (
            <p>No interactions yet.</p>
          ) : (
            <table className="bars">
              <thead>
                <tr>
                  <th scope="col">kind</th>
                  <th scope="col">count</th>
                </tr>
              </thead>
              <tbody>
                {popularity.map(([kind, count]) => (
                  <tr key={kind}>
                    <th scope="row">{kind}</th>
                    <td>
                      <span className="bar" style={{ width: `${(100 * (count ?? 0)) / highest}%` }} />
                      {formatRate(count ?? 0)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <section>
        <h2>Top neighbours</h2>
        {tables.length === 0 ? (
          <p>
            No neighbours yet: they appear when visitors interact with this item and another one within the
            co-occurrence window.
          </p>
        ) : (
          <div className="cards">
            {tables.map(([key, neighbours]) => (
              <section className="card" key={key}>
                <h3>{key.replace(">", " → ")}</h3>
                <p className="hint">{tableMeaning(key)}</p>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">neighbour</th>
                      <th scope="col">score</th>
                      <th scope="col">weight</th>
                    </tr>
                  </thead>
                  <tbody>
                    {neighbours.map((neighbour) => (
                      <tr key={neighbour.item_id}>
                        <td>
                          <Link to={`items/${segment(neighbour.item_id)}`}>{neighbour.item_id}</Link>
                        </td>
                        <td>{formatRate(neighbour.score)}</td>
                        <td>{formatNumber(neighbour.weight)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            ))}
          </div>
        )}
      </section>
      <ContextPreview itemId={item.item_id} />
    </>
  );
}
