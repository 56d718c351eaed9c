import type { ReactNode } from "react";
import { ApiError, NetworkError } from "../api/client.js";

/** What to show while something loads. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

/** An empty state: what is missing, and what to do next. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="empty-state" aria-label={title}>
      <h2>{title}</h2>
      <div>{children}</div>
    </section>
  );
}

/** An error, with the request, status and code the server answered when it is an API error. */
export function ErrorMessage({ error, action }: { error: Error; action?: ReactNode }) {
  return (
    <div className="error-message" role="alert">
      <p>
        <strong>{describeError(error)}</strong>
      </p>
      {error instanceof ApiError && error.errors.length > 0 ? (
        <ul>
          {error.errors.map((item) => (
            <li key={`${item.pointer} ${item.message}`}>
              <code>{item.pointer || "(body)"}</code> {item.message}
            </li>
          ))}
        </ul>
      ) : null}
      {action}
    </div>
  );
}

export function describeError(error: Error): string {
  if (error instanceof ApiError)
    return `${error.request} answered ${error.status} ${error.code}: ${error.message}`;
  if (error instanceof NetworkError) return error.message;
  return error.message;
}
