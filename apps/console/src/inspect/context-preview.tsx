import { useId, useState } from "react";
import { useApi } from "../app/api-context.js";
import { useAsync } from "../app/use-async.js";
import { ErrorMessage, Loading } from "../ui/feedback.js";
import { RecoList } from "./reco-list.js";

/** An anonymous visitor no event ever named: previews for it show what a newcomer would get. */
export const NEWCOMER = "sibyl-console-newcomer";

/** What a placement shows beside an item (the item as the request's context), for a visitor with no history. */
export function ContextPreview({ itemId }: { itemId: string }) {
  const api = useApi();
  const selectId = useId();
  const placements = useAsync(() => api.placements(), [api]);
  const [chosen, setChosen] = useState<string | null>(null);
  const ids = placements.status === "ok" ? placements.value.map((placement) => placement.placement_id) : [];
  const placement = chosen ?? (ids.includes("product_page_similar") ? "product_page_similar" : ids[0]);
  const preview = useAsync(
    () =>
      placement
        ? api.preview({
            request: { placement, user_info: { visitor_id: NEWCOMER }, context_item_ids: [itemId] },
          })
        : Promise.resolve(null),
    [api, placement, itemId],
  );
  return (
    <section className="context-preview">
      <h2>Recommended beside this item</h2>
      {placements.status === "error" ? <ErrorMessage error={placements.error} /> : null}
      {ids.length > 0 ? (
        <p>
          <label htmlFor={selectId}>Placement </label>
          <select id={selectId} value={placement} onChange={(event) => setChosen(event.target.value)}>
            {ids.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>{" "}
          <span className="hint">for a visitor with no history, with this item as the context item</span>
        </p>
      ) : null}
      {preview.status === "loading" ? (
        <Loading what="the preview" />
      ) : preview.status === "error" ? (
        <ErrorMessage error={preview.error} />
      ) : preview.value ? (
        <RecoList response={preview.value} label={`${placement} beside ${itemId}`} />
      ) : null}
    </section>
  );
}
