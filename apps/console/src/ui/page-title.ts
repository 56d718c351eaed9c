import { useEffect } from "react";

/** Names the page in the tab and in the history, for people and screen readers alike. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Sibyl console`;
  }, [title]);
}
