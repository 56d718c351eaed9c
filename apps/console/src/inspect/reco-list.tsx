import type { RecoResponse } from "../api/types.js";
import { Link, segment } from "../app/router.js";
import { formatRate } from "../ui/format.js";
import { explain } from "./explain.js";

export interface RecoListProps {
  response: RecoResponse;
  /** Items to mark as not in the other list (a preview beside the live list). */
  highlight?: ReadonlySet<string>;
  label: string;
}

/** A recommendation list: rank, item, why it is there, and its score. */
export function RecoList({ response, highlight, label }: RecoListProps) {
  if (response.items.length === 0)
    return <p className="empty-list">No items: the placement found nothing to recommend here.</p>;
  return (
    <ol className="reco-list" aria-label={label}>
      {response.items.map((item) => (
        <li key={item.item_id} className={highlight?.has(item.item_id) ? "changed" : undefined}>
          <Link to={`items/${segment(item.item_id)}`} className="item-id">
            {item.item_id}
          </Link>
          {highlight?.has(item.item_id) ? <span className="badge changed-badge">new here</span> : null}
          <span className="why">
            <span className="badge strategy">{item.strategy}</span> {explain(item)}
          </span>
          <span className="score" title="score">
            {formatRate(item.score)}
          </span>
        </li>
      ))}
    </ol>
  );
}
