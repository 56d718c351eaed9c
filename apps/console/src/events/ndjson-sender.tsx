import { type FormEvent, useId, useState } from "react";
import type { IngestAnswer } from "../api/types.js";
import { useApi } from "../app/api-context.js";
import { asError } from "../app/use-async.js";
import { ErrorMessage } from "../ui/feedback.js";
import { IngestReport } from "./ingest-report.js";

/** Several events at once, as NDJSON — pasted from a log or a file — with the server's report on every line. */
export function NdjsonSender() {
  const api = useApi();
  const [text, setText] = useState("");
  const [answer, setAnswer] = useState<IngestAnswer | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [sending, setSending] = useState(false);
  const id = useId();

  const send = async (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    setError(null);
    try {
      setAnswer(await api.sendEvents(text));
    } catch (failure) {
      setAnswer(null);
      setError(asError(failure));
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="ndjson-sender" onSubmit={send}>
      <label htmlFor={id}>Events as NDJSON, one JSON event per line</label>
      <textarea
        id={id}
        rows={8}
        spellCheck={false}
        value={text}
        placeholder={
          '{"event_type":"DetailItemView","user_info":{"visitor_id":"ann"},"item":{"item_id":"tent"}}'
        }
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" disabled={sending || text.trim() === ""}>
        {sending ? "Sending…" : "Send lines"}
      </button>
      {error ? <ErrorMessage error={error} /> : null}
      {answer ? <IngestReport answer={answer} /> : null}
    </form>
  );
}
