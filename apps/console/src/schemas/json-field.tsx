import type { FieldProps } from "@rjsf/utils";
import { useEffect, useId, useState } from "react";

/**
 * A value edited as JSON text — for the recursive Filter, whose "exactly one of eight keys, nested" shape is
 * clearer written than clicked. Text that does not parse is passed on as a string, so the form's validator
 * reports what the server would (e.g. "must be object") until it does.
 */
export function JsonField(props: FieldProps) {
  const { formData, onChange, fieldPathId, schema, uiSchema, name, required, rawErrors, disabled, readonly } =
    props;
  const [text, setText] = useState(() => format(formData));
  const [parseError, setParseError] = useState<string | undefined>();
  const helpId = useId();

  // A value set from outside (a placement loaded into the editor) replaces the text, unless it is the same value.
  useEffect(() => {
    setText((current) => (sameValue(current, formData) ? current : format(formData)));
  }, [formData]);

  const change = (next: string) => {
    setText(next);
    if (next.trim() === "") {
      setParseError(undefined);
      onChange(undefined, fieldPathId.path);
      return;
    }
    try {
      const value: unknown = JSON.parse(next);
      setParseError(undefined);
      onChange(value, fieldPathId.path);
    } catch (error) {
      setParseError((error as Error).message);
      onChange(next, fieldPathId.path);
    }
  };

  const title = typeof uiSchema?.["ui:title"] === "string" ? uiSchema["ui:title"] : name;
  return (
    <div className="json-field">
      <label htmlFor={fieldPathId.$id}>
        {title}
        {required ? <span className="required"> *</span> : null}
      </label>
      {schema.description ? (
        <p id={helpId} className="field-description">
          {schema.description} Written as JSON, e.g. {'{"eq": {"field": "brand", "value": "Acme"}}'}.
        </p>
      ) : null}
      <textarea
        id={fieldPathId.$id}
        className="json-input"
        rows={4}
        spellCheck={false}
        value={text}
        disabled={disabled}
        readOnly={readonly}
        aria-describedby={schema.description ? helpId : undefined}
        aria-invalid={parseError !== undefined || (rawErrors?.length ?? 0) > 0}
        onChange={(event) => change(event.target.value)}
      />
      {parseError ? (
        <p className="field-error" role="alert">
          not valid JSON: {parseError}
        </p>
      ) : null}
    </div>
  );
}

function format(value: unknown): string {
  if (value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

function sameValue(text: string, value: unknown): boolean {
  if (typeof value === "string") return text === value;
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
  } catch {
    return value === undefined && text.trim() === "";
  }
}
