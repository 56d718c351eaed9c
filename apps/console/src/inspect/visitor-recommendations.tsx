import type { PlacementConfig, VisitorInspection } from "../api/types.js";
import { useApi } from "../app/api-context.js";
import { Link, segment } from "../app/router.js";
import { useAsync } from "../app/use-async.js";
import { ErrorMessage, Loading } from "../ui/feedback.js";
import { RecoList } from "./reco-list.js";

/** Every placement's list for this visitor, previewed: looking changes nothing (no session, no attribution). */
export function VisitorRecommendations({ visitor }: { visitor: VisitorInspection }) {
  const api = useApi();
  const placements = useAsync(() => api.placements(), [api]);
  return (
    <section className="visitor-recommendations">
      <h2>Recommendations per placement</h2>
      <p className="hint">
        What each placement would answer this {visitor.kind} now, with no context item; each item says which
        strategy chose it and why. Previews change nothing.
      </p>
      {placements.status === "loading" ? (
        <Loading what="the placements" />
      ) : placements.status === "error" ? (
        <ErrorMessage error={placements.error} />
      ) : (
        <div className="cards">
          {placements.value.map((placement) => (
            <PlacementPreview key={placement.placement_id} placement={placement} visitor={visitor} />
          ))}
        </div>
      )}
    </section>
  );
}

function PlacementPreview({
  placement,
  visitor,
}: {
  placement: PlacementConfig;
  visitor: VisitorInspection;
}) {
  const api = useApi();
  const userInfo =
    visitor.kind === "user" ? { visitor_id: visitor.id, user_id: visitor.id } : { visitor_id: visitor.id };
  const preview = useAsync(
    () => api.preview({ request: { placement: placement.placement_id, user_info: userInfo } }),
    [api, placement.placement_id, visitor.id, visitor.kind],
  );
  return (
    <section className="card" aria-label={`Placement ${placement.placement_id}`}>
      <h3>
        <Link to={`placements/${segment(placement.placement_id)}`}>{placement.placement_id}</Link>
      </h3>
      {placement.description ? <p className="hint">{placement.description}</p> : null}
      {preview.status === "loading" ? (
        <Loading what={placement.placement_id} />
      ) : preview.status === "error" ? (
        <ErrorMessage error={preview.error} />
      ) : (
        <RecoList response={preview.value} label={`${placement.placement_id} for ${visitor.id}`} />
      )}
    </section>
  );
}
