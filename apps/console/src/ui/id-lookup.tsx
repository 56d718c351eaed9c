import { type FormEvent, type ReactNode, useEffect, useId, useState } from "react";

export interface IdLookupProps {
  label: string;
  initial: string | undefined;
  onLookup: (id: string) => void;
  placeholder?: string;
  /** More controls inside the form (e.g. the visitor/user choice). */
  children?: ReactNode;
}

/** A labelled id box and a button: how every inspector is told what to inspect. */
export function IdLookup({ label, initial, onLookup, placeholder, children }: IdLookupProps) {
  const [value, setValue] = useState(initial ?? "");
  const id = useId();
  useEffect(() => setValue(initial ?? ""), [initial]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = value.trim();
    if (trimmed !== "") onLookup(trimmed);
  };
  return (
    <search>
      <form className="id-lookup" onSubmit={submit}>
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          type="text"
          spellCheck={false}
          value={value}
          placeholder={placeholder}
          onChange={(event) => setValue(event.target.value)}
        />
        {children}
        <button type="submit">Inspect</button>
      </form>
    </search>
  );
}
