/** The part of a DOM EventTarget the page-hide watch uses. */
export interface PageEventTarget {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** Where the client learns that the page is going away, and how it sends then. Structural, so no DOM types. */
export interface PageEnvironment {
  /** Fires `visibilitychange`; `visibilityState` is "hidden" when the tab is switched away or closed. */
  document?: PageEventTarget & { readonly visibilityState: string };
  /** Fires `pagehide` when the page is unloaded or put in the back/forward cache. */
  window?: PageEventTarget;
  navigator?: { sendBeacon?(url: string, data: string): boolean };
}

/** The page's own document, window and navigator in a browser; undefined elsewhere (Node, workers). */
export function detectPage(): PageEnvironment | undefined {
  const page = globalThis as unknown as {
    document?: PageEnvironment["document"];
    window?: PageEventTarget;
    navigator?: PageEnvironment["navigator"];
  };
  if (page.document === undefined || page.window === undefined) return undefined;
  return { document: page.document, window: page.window, navigator: page.navigator };
}

/**
 * Calls `onHide` whenever the page is hidden or unloaded: `visibilitychange` to hidden is the last event a
 * mobile browser reliably fires before killing a tab; `pagehide` covers desktop unloads and the back/forward
 * cache. Both may fire for one departure; `onHide` finds nothing queued the second time. Returns the detach.
 */
export function watchPageHide(page: PageEnvironment, onHide: () => void): () => void {
  const onVisibility = () => {
    if (page.document?.visibilityState === "hidden") onHide();
  };
  page.document?.addEventListener("visibilitychange", onVisibility);
  page.window?.addEventListener("pagehide", onHide);
  return () => {
    page.document?.removeEventListener("visibilitychange", onVisibility);
    page.window?.removeEventListener("pagehide", onHide);
  };
}
