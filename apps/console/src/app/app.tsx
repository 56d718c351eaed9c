import { useEffect, useRef } from "react";
import { KeyGate } from "../auth/key-gate.js";
import { DashboardPage } from "../dashboard/dashboard-page.js";
import { EventsPage } from "../events/events-page.js";
import { ItemPage } from "../inspect/item-page.js";
import { VisitorPage } from "../inspect/visitor-page.js";
import { PlacementEditorPage } from "../placements/placement-editor-page.js";
import { PlacementsPage } from "../placements/placements-page.js";
import { ReportsPage } from "../reports/reports-page.js";
import { PageErrorBoundary } from "../ui/error-boundary.js";
import { EmptyState } from "../ui/feedback.js";
import { Link, type Route, useRoute } from "./router.js";

const NAVIGATION: { path: string; label: string; section: string }[] = [
  { path: "", label: "Dashboard", section: "" },
  { path: "events", label: "Events", section: "events" },
  { path: "items", label: "Items", section: "items" },
  { path: "visitors", label: "Visitors", section: "visitors" },
  { path: "placements", label: "Placements", section: "placements" },
  { path: "reports", label: "Reports", section: "reports" },
];

export interface AppProps {
  /** For tests: the server's origin and fetch (the page's own server otherwise). */
  baseUrl?: string;
  fetch?: typeof fetch;
  storage?: Storage;
  /** How often the dashboard asks for /v1/stats. */
  pollMs?: number;
}

/** The console: asks for the server key, then shows the page the URL names. */
export function App({ baseUrl, fetch, storage, pollMs }: AppProps) {
  return (
    <KeyGate baseUrl={baseUrl} fetch={fetch} storage={storage}>
      {(signOut) => <Shell signOut={signOut} pollMs={pollMs} />}
    </KeyGate>
  );
}

function Shell({ signOut, pollMs }: { signOut: () => void; pollMs: number | undefined }) {
  const route = useRoute();
  const section = route.segments[0] ?? "";
  const location = `${route.segments.join("/")}?${route.query.toString()}`;
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // After following a link, focus moves to the new page, so keyboard and screen reader users start there.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each change of location
  useEffect(() => {
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [location]);
  return (
    <div className="shell">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="top-bar">
        <span className="brand">Sibyl console</span>
        <nav aria-label="Console">
          <ul>
            {NAVIGATION.map((entry) => (
              <li key={entry.path}>
                <Link to={entry.path} aria-current={entry.section === section ? "page" : undefined}>
                  {entry.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" className="secondary" onClick={signOut}>
          Forget key
        </button>
      </header>
      <main id="content" tabIndex={-1} ref={main}>
        <PageErrorBoundary resetKey={location}>
          <Page route={route} pollMs={pollMs} />
        </PageErrorBoundary>
      </main>
    </div>
  );
}

function Page({ route, pollMs }: { route: Route; pollMs: number | undefined }) {
  const [section, id, ...rest] = route.segments;
  if (rest.length === 0) {
    switch (section) {
      case undefined:
        if (id === undefined) return <DashboardPage pollMs={pollMs} />;
        break;
      case "events":
        return <EventsPage eventType={id} />;
      case "items":
        return <ItemPage itemId={id} />;
      case "visitors":
        return <VisitorPage visitorId={id} kind={route.query.get("kind") === "user" ? "user" : "visitor"} />;
      case "placements":
        return id === undefined ? (
          <PlacementsPage />
        ) : (
          <PlacementEditorPage placementId={id === "new" ? null : id} />
        );
      case "reports":
        if (id === undefined) return <ReportsPage />;
        break;
    }
  }
  return (
    <EmptyState title="No such page">
      <p>
        The console has no page at <code>{route.segments.join("/")}</code>. Start from the{" "}
        <Link to="">dashboard</Link>.
      </p>
    </EmptyState>
  );
}
