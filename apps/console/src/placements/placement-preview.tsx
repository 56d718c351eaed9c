import type { RJSFSchema } from "@rjsf/utils";
import { useId, useMemo, useState } from "react";
import type { PreviewBody, RecoResponse } from "../api/types.js";
import { useApi } from "../app/api-context.js";
import { useAsync } from "../app/use-async.js";
import { NEWCOMER } from "../inspect/context-preview.js";
import { RecoList } from "../inspect/reco-list.js";
import { createFormValidator, validateAsServer } from "../schemas/form-validator.js";
import { ErrorMessage, Loading } from "../ui/feedback.js";
import { useDebounced } from "../ui/use-debounced.js";

interface PlacementPreviewProps {
  schema: RJSFSchema;
  draft: unknown;
  liveIds: readonly string[];
  /** Changes when the live placement may have changed (after a save). */
  liveVersion: number;
}

/** The draft's list beside the live placement's, for a chosen visitor and context items. */
export function PlacementPreview({ schema, draft, liveIds, liveVersion }: PlacementPreviewProps) {
  const api = useApi();
  const visitorFieldId = useId();
  const itemsFieldId = useId();
  const [visitor, setVisitor] = useState("");
  const [items, setItems] = useState("");
  const validator = useMemo(() => createFormValidator(), []);
  const settledDraft = useDebounced(draft, 300);
  const settledVisitor = useDebounced(visitor, 300);
  const settledItems = useDebounced(items, 300);

  const placementId = (settledDraft as { placement_id?: string }).placement_id ?? "";
  const errors = useMemo(
    () => validateAsServer(validator, schema, settledDraft),
    [validator, schema, settledDraft],
  );
  const request = useMemo((): PreviewBody["request"] => {
    const contextItems = settledItems
      .split(/[\s,]+/)
      .map((id) => id.trim())
      .filter((id) => id !== "");
    return {
      user_info: { visitor_id: settledVisitor.trim() || NEWCOMER },
      ...(contextItems.length > 0 ? { context_item_ids: contextItems } : {}),
    };
  }, [settledVisitor, settledItems]);
  const requestKey = JSON.stringify(request);
  const isLive = liveIds.includes(placementId);

  const live = useAsync(
    () => (isLive ? api.preview({ request: { ...request, placement: placementId } }) : Promise.resolve(null)),
    [api, isLive, placementId, requestKey, liveVersion],
    { keepPrevious: true },
  );
  const drafted = useAsync(
    () =>
      errors.length === 0
        ? api.preview({ placement: settledDraft as PreviewBody["placement"], request })
        : Promise.resolve(null),
    [api, JSON.stringify(settledDraft), errors.length, requestKey],
    { keepPrevious: true },
  );

  const liveItems =
    live.status === "ok" && live.value ? new Set(live.value.items.map((item) => item.item_id)) : null;
  const changed =
    liveItems && drafted.status === "ok" && drafted.value
      ? new Set(drafted.value.items.map((item) => item.item_id).filter((id) => !liveItems.has(id)))
      : undefined;

  return (
    <aside className="placement-preview" aria-label="Preview">
      <h2>Preview</h2>
      <div className="preview-inputs">
        <label htmlFor={visitorFieldId}>Visitor id</label>
        <input
          id={visitorFieldId}
          type="text"
          value={visitor}
          placeholder="a new visitor when empty"
          onChange={(event) => setVisitor(event.target.value)}
        />
        <label htmlFor={itemsFieldId}>Context item ids</label>
        <input
          id={itemsFieldId}
          type="text"
          value={items}
          placeholder="e.g. tent, mat"
          onChange={(event) => setItems(event.target.value)}
        />
      </div>
      <div className="preview-lists">
        <section aria-label="Live list">
          <h3>Live{placementId ? `: ${placementId}` : ""}</h3>
          {!isLive ? (
            <p className="empty-list">Not live yet: saving creates it.</p>
          ) : (
            <Answer state={live} label="live list" />
          )}
        </section>
        <section aria-label="Draft list">
          <h3>Draft</h3>
          {errors.length > 0 ? (
            <p className="empty-list" role="status">
              The draft has {errors.length} {errors.length === 1 ? "error" : "errors"} (first:{" "}
              <code>{errors[0]!.pointer || "(event)"}</code> {errors[0]!.message}); fix the form to preview
              it.
            </p>
          ) : (
            <Answer state={drafted} label="draft list" highlight={changed} />
          )}
        </section>
      </div>
    </aside>
  );
}

type PreviewState = ReturnType<typeof useAsync<RecoResponse | null>>;

function Answer({
  state,
  label,
  highlight,
}: {
  state: PreviewState;
  label: string;
  highlight?: Set<string>;
}) {
  if (state.status === "loading")
    return state.previous ? (
      <div aria-busy="true" className="refreshing">
        <RecoList response={state.previous} label={label} />
      </div>
    ) : (
      <Loading what={`the ${label}`} />
    );
  if (state.status === "error") return <ErrorMessage error={state.error} />;
  return state.value ? <RecoList response={state.value} label={label} highlight={highlight} /> : null;
}
