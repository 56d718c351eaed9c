import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from "react";

/** Where the console is served ("/console/"): every route is a path below it. */
const BASE = import.meta.env.BASE_URL.endsWith("/")
  ? import.meta.env.BASE_URL
  : `${import.meta.env.BASE_URL}/`;
const NAVIGATED = "sibyl:navigate";

export interface Route {
  /** The path below the console's base, split at "/": `["visitors", "ann"]` for /console/visitors/ann. */
  segments: string[];
  query: URLSearchParams;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

const currentLocation = () => window.location.pathname + window.location.search;

/** The current route; re-renders on navigation (links, back and forward). */
export function useRoute(): Route {
  const location = useSyncExternalStore(subscribe, currentLocation);
  return parseRoute(location);
}

export function parseRoute(location: string): Route {
  const url = new URL(location, "http://console.invalid");
  // The server serves the console at /console as well as /console/: both are the dashboard.
  const pathname = `${url.pathname.replace(/\/+$/, "")}/`;
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname.replace(/^\/+/, "");
  const segments = path
    .split("/")
    .filter((segment) => segment !== "")
    .map((segment) => decodeURIComponent(segment));
  return { segments, query: url.searchParams };
}

/** The URL of a console path such as `visitors/ann`. */
export function hrefTo(path: string): string {
  return BASE + path.replace(/^\/+/, "");
}

/** Goes to a console path without reloading the page. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const href = hrefTo(path);
  if (options.replace) window.history.replaceState(null, "", href);
  else window.history.pushState(null, "", href);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** A path segment as it goes into a URL. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

export interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> {
  to: string;
}

/** A link inside the console: a real <a href> (open in a new tab works), followed without a reload. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={hrefTo(to)} onClick={follow} {...rest} />;
}
