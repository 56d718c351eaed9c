import { useMemo, useState } from "react";
import type { IngestAnswer, PlacementConfig, SchemasResponse } from "../api/types.js";
import { useApi } from "../app/api-context.js";
import { Link, navigate, segment } from "../app/router.js";
import { asError, shownValue, useAsync } from "../app/use-async.js";
import { IngestReport } from "../events/ingest-report.js";
import { bundleSchema } from "../schemas/bundle-schema.js";
import { SchemaForm } from "../schemas/schema-form.js";
import { eventUiSchema } from "../schemas/ui-schema.js";
import { useSchemas } from "../schemas/use-schemas.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/feedback.js";
import { usePageTitle } from "../ui/page-title.js";
import { PlacementPreview } from "./placement-preview.js";

const PLACEMENT_SCHEMA = "events/PlacementUpsert.schema.json";

/** Edits a placement (or a new one, `placementId` null) with its draft's list previewed beside the live one. */
export function PlacementEditorPage({ placementId }: { placementId: string | null }) {
  usePageTitle(placementId ? `Placement ${placementId}` : "New placement");
  const api = useApi();
  const schemas = useSchemas();
  // Reloaded after a save; the editor stays on screen (with the save's report) meanwhile.
  const placements = useAsync(() => api.placements(), [api], { keepPrevious: true });
  // The last save's report, kept here so it outlives the editor when a new placement's page becomes its own.
  const [report, setReport] = useState<{ page: string; answer: IngestAnswer } | null>(null);
  const page = placementId ?? "new";
  const live = shownValue(placements);
  if (schemas.status === "error") return <ErrorMessage error={schemas.error} />;
  if (placements.status === "error") return <ErrorMessage error={placements.error} />;
  if (schemas.status === "loading" || !live) return <Loading what="the placement" />;
  const existing = placementId ? live.find((entry) => entry.placement_id === placementId) : undefined;
  if (placementId && !existing)
    return (
      <EmptyState title={`No placement ${placementId}`}>
        <p>
          No live placement has this id. See the <Link to="placements">placements</Link>, or create it as a{" "}
          <Link to="placements/new">new placement</Link>.
        </p>
      </EmptyState>
    );
  return (
    <Editor
      key={page}
      schemas={schemas.value}
      existing={existing}
      liveIds={live.map((entry) => entry.placement_id)}
      reloadLive={placements.reload}
      report={report?.page === page ? report.answer : null}
      onReport={(answer, savedAs) => setReport(answer ? { page: savedAs ?? page, answer } : null)}
    />
  );
}

interface EditorProps {
  schemas: SchemasResponse;
  existing: PlacementConfig | undefined;
  liveIds: string[];
  reloadLive: () => void;
  /** The server's report on the last save from this page. */
  report: IngestAnswer | null;
  /** A new report (null clears it); `savedAs` names the page a new placement now has. */
  onReport: (answer: IngestAnswer | null, savedAs?: string) => void;
}

function Editor({ schemas, existing, liveIds, reloadLive, report, onReport }: EditorProps) {
  const api = useApi();
  const schema = useMemo(() => bundleSchema(schemas.schemas, PLACEMENT_SCHEMA), [schemas]);
  const uiSchema = useMemo(() => eventUiSchema(schema), [schema]);
  const [draft, setDraft] = useState<unknown>(() =>
    existing
      ? { event_type: "PlacementUpsert", ...existing }
      : { event_type: "PlacementUpsert", strategies: [{ strategy: "popular", weight: 1 }] },
  );
  const [error, setError] = useState<Error | null>(null);
  const [saving, setSaving] = useState(false);
  // Bumped after a save, so the live list is asked for again.
  const [liveVersion, setLiveVersion] = useState(0);

  const save = async (event: unknown) => {
    setSaving(true);
    setError(null);
    try {
      const answer = await api.sendEvents([event]);
      if (answer.result.accepted > 0) {
        setLiveVersion((value) => value + 1);
        reloadLive();
        const id = (event as { placement_id: string }).placement_id;
        onReport(answer, existing ? undefined : id);
        if (!existing) navigate(`placements/${segment(id)}`, { replace: true });
      } else onReport(answer);
    } catch (failure) {
      onReport(null);
      setError(asError(failure));
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (
      !existing ||
      !window.confirm(`Remove the placement ${existing.placement_id}? Requests for it will fail.`)
    )
      return;
    setError(null);
    try {
      const answer = await api.sendEvents([
        { event_type: "PlacementRemove", placement_id: existing.placement_id },
      ]);
      if (answer.result.accepted > 0) navigate("placements");
      else onReport(answer);
    } catch (failure) {
      setError(asError(failure));
    }
  };

  return (
    <div className="placement-editor">
      <h1>{existing ? `Placement ${existing.placement_id}` : "New placement"}</h1>
      <p className="lead">
        The form is the <code>PlacementUpsert</code> event that saving sends. Change it and the preview beside
        it shows the draft's list next to the live one, for the visitor and items you choose — nothing changes
        until you save.
      </p>
      <div className="two-columns editor-columns">
        <div className="editor-form">
          <SchemaForm
            schema={schema}
            uiSchema={uiSchema}
            formData={draft}
            onChange={setDraft}
            onSubmit={save}
          >
            <div className="form-actions">
              <button type="submit" disabled={saving}>
                {saving ? "Saving…" : "Save placement"}
              </button>
              {existing ? (
                <button type="button" className="danger" onClick={remove}>
                  Remove placement
                </button>
              ) : null}
            </div>
          </SchemaForm>
          {error ? <ErrorMessage error={error} /> : null}
          {report ? <IngestReport answer={report} /> : null}
        </div>
        <PlacementPreview schema={schema} draft={draft} liveIds={liveIds} liveVersion={liveVersion} />
      </div>
    </div>
  );
}
