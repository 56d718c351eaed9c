import { useMemo, useState } from "react";
import type { EventTypeInfo, IngestAnswer } from "../api/types.js";
import { useApi } from "../app/api-context.js";
import { Link, segment } from "../app/router.js";
import { asError } from "../app/use-async.js";
import { bundleSchema, type SchemaFiles } from "../schemas/bundle-schema.js";
import { SchemaForm } from "../schemas/schema-form.js";
import { eventUiSchema } from "../schemas/ui-schema.js";
import { ErrorMessage } from "../ui/feedback.js";
import { IngestReport } from "./ingest-report.js";

/** One event type's generated form; sending it shows the server's report and where to look at the result. */
export function EventSender({ info, files }: { info: EventTypeInfo; files: SchemaFiles }) {
  const api = useApi();
  const schema = useMemo(() => bundleSchema(files, info.schema), [files, info.schema]);
  const uiSchema = useMemo(() => eventUiSchema(schema), [schema]);
  const [formData, setFormData] = useState<unknown>({ event_type: info.event_type });
  const [answer, setAnswer] = useState<{ sent: unknown; answer: IngestAnswer } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [sending, setSending] = useState(false);

  const send = async (event: unknown) => {
    setSending(true);
    setError(null);
    try {
      setAnswer({ sent: event, answer: await api.sendEvents([event]) });
    } catch (failure) {
      setAnswer(null);
      setError(asError(failure));
    } finally {
      setSending(false);
    }
  };

  return (
    <article className="event-sender">
      <h1>{info.event_type}</h1>
      <p className="lead">{info.description}</p>
      <p className="badges">
        <span className="badge">{info.group}</span>{" "}
        <span className="badge">{info.tracking ? "tracking key may send" : "server key only"}</span>
      </p>
      <SchemaForm
        schema={schema}
        uiSchema={uiSchema}
        formData={formData}
        onChange={setFormData}
        onSubmit={send}
      >
        <div className="form-actions">
          <button type="submit" disabled={sending}>
            {sending ? "Sending…" : `Send ${info.event_type}`}
          </button>
        </div>
      </SchemaForm>
      <details className="json-preview">
        <summary>The event as JSON</summary>
        <pre>{JSON.stringify(formData, null, 2)}</pre>
      </details>
      {error ? <ErrorMessage error={error} /> : null}
      {answer ? (
        <>
          <IngestReport answer={answer.answer} />
          {answer.answer.result.accepted > 0 ? <WhereToLook event={answer.sent} /> : null}
        </>
      ) : null}
    </article>
  );
}

/** Links to the inspectors of whatever the accepted event was about. */
function WhereToLook({ event }: { event: unknown }) {
  const value = event as {
    user_info?: { visitor_id?: string };
    item_id?: string;
    item?: { item_id?: string };
  };
  const visitor = value.user_info?.visitor_id;
  const item = value.item_id ?? value.item?.item_id;
  if (!visitor && !item) return null;
  return (
    <p className="where-to-look">
      See it: {visitor ? <Link to={`visitors/${segment(visitor)}`}>visitor {visitor}</Link> : null}
      {visitor && item ? " · " : null}
      {item ? <Link to={`items/${segment(item)}`}>item {item}</Link> : null}
    </p>
  );
}
