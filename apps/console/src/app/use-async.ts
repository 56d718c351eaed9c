import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";

export type AsyncState<T> =
  /** `previous`: the last answer, kept while loading again when asked to (see `keepPrevious`). */
  { status: "loading"; previous?: T } | { status: "ok"; value: T } | { status: "error"; error: Error };

/**
 * Runs `load` when `deps` change (and on `reload()`), keeping only the answer of the latest call: a slow answer
 * to an earlier id never overwrites the current one. With `keepPrevious`, the last answer stays available while
 * the next loads, so a list being refreshed does not flicker away.
 */
export function useAsync<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  options: { keepPrevious?: boolean } = {},
): AsyncState<T> & { reload: () => void } {
  const [state, setState] = useState<AsyncState<T>>({ status: "loading" });
  const [round, setRound] = useState(0);
  const latest = useRef(load);
  latest.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to load again
  useEffect(() => {
    let current = true;
    setState((previous) =>
      options.keepPrevious && previous.status === "ok"
        ? { status: "loading", previous: previous.value }
        : options.keepPrevious && previous.status === "loading"
          ? previous
          : { status: "loading" },
    );
    latest.current().then(
      (value) => current && setState({ status: "ok", value }),
      (error: unknown) => current && setState({ status: "error", error: asError(error) }),
    );
    return () => {
      current = false;
    };
  }, [...deps, round]);

  const reload = useCallback(() => setRound((value) => value + 1), []);
  return { ...state, reload };
}

/** The answer to show: the latest, or while loading again the previous one (with `keepPrevious`). */
export function shownValue<T>(state: AsyncState<T>): T | undefined {
  if (state.status === "ok") return state.value;
  return state.status === "loading" ? state.previous : undefined;
}

export interface Polled<T> {
  /** The latest answer, kept while a later call fails. */
  value: T | undefined;
  /** The latest call's error, cleared by the next success. */
  error: Error | undefined;
}

/**
 * Calls `load` now and then every `intervalMs` after each answer (never two calls at once), handing every answer
 * to `onValue` too. Stops when the component goes away.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  intervalMs: number,
  onValue?: (value: T) => void,
): Polled<T> {
  const [polled, setPolled] = useState<Polled<T>>({ value: undefined, error: undefined });
  const latest = useRef({ load, onValue });
  latest.current = { load, onValue };

  useEffect(() => {
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const value = await latest.current.load();
        if (!active) return;
        latest.current.onValue?.(value);
        setPolled({ value, error: undefined });
      } catch (error) {
        if (!active) return;
        setPolled((previous) => ({ value: previous.value, error: asError(error) }));
      }
      if (active) timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      active = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [intervalMs]);

  return polled;
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
