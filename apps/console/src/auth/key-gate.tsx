import { type FormEvent, type ReactNode, useCallback, useId, useMemo, useState } from "react";
import { ApiError, createApiClient } from "../api/client.js";
import { ApiContext } from "../app/api-context.js";
import { asError } from "../app/use-async.js";
import { describeError } from "../ui/feedback.js";
import { forgetKey, loadKey, saveKey } from "./key-store.js";

export interface KeyGateProps {
  /** The signed-in console; `signOut` forgets the key. */
  children: (signOut: () => void) => ReactNode;
  /** For tests: the server's origin and fetch. */
  baseUrl?: string;
  fetch?: typeof fetch;
  storage?: Storage;
}

/**
 * Asks for the server key, checks it against the server (GET /v1/stats needs one), and keeps it in this tab's
 * session storage only. Any 401 or 403 later — the server restarted with other keys — brings the question back,
 * saying what the server answered.
 */
export function KeyGate({ children, baseUrl, fetch, storage }: KeyGateProps) {
  const store = storage ?? sessionStorage;
  const [key, setKey] = useState<string | null>(() => loadKey(store));
  const [refusal, setRefusal] = useState<ApiError | null>(null);

  const onAuthError = useCallback(
    (error: ApiError) => {
      forgetKey(store);
      setKey(null);
      setRefusal(error);
    },
    [store],
  );
  const client = useMemo(
    () => (key === null ? null : createApiClient({ key, baseUrl, fetch, onAuthError })),
    [key, baseUrl, fetch, onAuthError],
  );
  const signOut = useCallback(() => {
    forgetKey(store);
    setRefusal(null);
    setKey(null);
  }, [store]);

  if (!client) {
    return (
      <KeyForm
        refusal={refusal}
        check={async (candidate) => {
          await createApiClient({ key: candidate, baseUrl, fetch }).stats();
          saveKey(candidate, store);
          setRefusal(null);
          setKey(candidate);
        }}
      />
    );
  }
  return <ApiContext.Provider value={client}>{children(signOut)}</ApiContext.Provider>;
}

function KeyForm({ refusal, check }: { refusal: ApiError | null; check: (key: string) => Promise<void> }) {
  const [value, setValue] = useState("");
  const [problem, setProblem] = useState<Error | null>(refusal);
  const [checking, setChecking] = useState(false);
  const inputId = useId();
  const helpId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const candidate = value.trim();
    if (candidate === "") {
      setProblem(new Error("Enter the server key."));
      return;
    }
    setChecking(true);
    try {
      await check(candidate);
    } catch (error) {
      setProblem(asError(error));
      setChecking(false);
    }
  };

  return (
    <main className="key-gate" id="content">
      <h1>Sibyl console</h1>
      <form onSubmit={submit} aria-describedby={helpId}>
        <label htmlFor={inputId}>Server key</label>
        <input
          id={inputId}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          aria-invalid={problem !== null}
          aria-describedby={helpId}
        />
        <button type="submit" disabled={checking}>
          {checking ? "Checking…" : "Connect"}
        </button>
        <p id={helpId} className="hint">
          The console needs a <strong>server key</strong>. A server started without keys prints its
          development keys once and keeps them in <code>.sibyl-data/keys.json</code> (<code>serverKey</code>).
          The key is kept in this tab only and forgotten when the tab closes.
        </p>
        {problem ? <KeyProblem error={problem} /> : null}
      </form>
    </main>
  );
}

/** Why a key was refused, in the words of the status the server answered. */
function KeyProblem({ error }: { error: Error }) {
  let advice: string | null = null;
  if (error instanceof ApiError && error.status === 401)
    advice =
      error.code === "missing_key"
        ? "401 Unauthorized: the server received no key."
        : "401 Unauthorized: the server does not know this key. Check for a typo, or whether the server was started with other keys.";
  else if (error instanceof ApiError && error.status === 403)
    advice =
      "403 Forbidden: this is a tracking key, which may only send behaviour events. The console needs a server key.";
  return (
    <div className="error-message" role="alert">
      {advice ? (
        <p>
          <strong>{advice}</strong>
        </p>
      ) : null}
      <p>{describeError(error)}</p>
    </div>
  );
}
