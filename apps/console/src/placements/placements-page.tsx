import type { PlacementConfig } from "../api/types.js";
import { useApi } from "../app/api-context.js";
import { Link, segment } from "../app/router.js";
import { useAsync } from "../app/use-async.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/feedback.js";
import { usePageTitle } from "../ui/page-title.js";

type Strategy = PlacementConfig["strategies"][number];

const describeStrategy = (strategy: Strategy) =>
  `${strategy.strategy}${strategy.weight !== undefined && strategy.weight !== 1 ? ` ×${strategy.weight}` : ""}`;

/** The live placements, each opening in the editor. */
export function PlacementsPage() {
  usePageTitle("Placements");
  const api = useApi();
  const placements = useAsync(() => api.placements(), [api]);
  return (
    <>
      <div className="page-head">
        <h1>Placements</h1>
        <Link to="placements/new" className="button">
          New placement
        </Link>
      </div>
      {placements.status === "loading" ? (
        <Loading what="the placements" />
      ) : placements.status === "error" ? (
        <ErrorMessage error={placements.error} />
      ) : placements.value.length === 0 ? (
        <EmptyState title="No placements">
          <p>
            This engine has no placements, so no request can be answered. Create one with{" "}
            <Link to="placements/new">New placement</Link>: name it, pick its strategies, preview it, save.
          </p>
        </EmptyState>
      ) : (
        <table className="placements">
          <caption>Open a placement to edit it and preview the change before saving</caption>
          <thead>
            <tr>
              <th scope="col">placement</th>
              <th scope="col">what it is for</th>
              <th scope="col">strategies</th>
              <th scope="col">fallback</th>
              <th scope="col">count</th>
            </tr>
          </thead>
          <tbody>
            {placements.value.map((placement) => (
              <tr key={placement.placement_id}>
                <td>
                  <Link to={`placements/${segment(placement.placement_id)}`}>{placement.placement_id}</Link>
                </td>
                <td>{placement.description ?? "—"}</td>
                <td>{placement.strategies.map(describeStrategy).join(", ")}</td>
                <td>{placement.fallback?.map(describeStrategy).join(", ") || "—"}</td>
                <td>{placement.count ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
