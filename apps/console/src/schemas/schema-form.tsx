import Form from "@rjsf/core";
import type { RJSFSchema, UiSchema } from "@rjsf/utils";
import { type ReactNode, useMemo, useState } from "react";
import { BUTTON_TEMPLATES } from "./form-buttons.js";
import { createFormValidator } from "./form-validator.js";
import { JsonField } from "./json-field.js";

const FIELDS = { json: JsonField };
const TEMPLATES = { ButtonTemplates: BUTTON_TEMPLATES };
/** Optional objects and arrays stay absent until filled in, as a hand-written event would leave them. */
const DEFAULTS = {
  emptyObjectFields: "populateRequiredDefaults",
  arrayMinItems: { populate: "requiredOnly" },
} as const;

export interface SchemaFormProps {
  schema: RJSFSchema;
  uiSchema: UiSchema;
  formData: unknown;
  onChange: (formData: unknown) => void;
  /** Called with data that passes the schema; invalid data shows its errors instead. */
  onSubmit: (formData: unknown) => void;
  /** The submit button (and any other controls) under the form. */
  children: ReactNode;
  disabled?: boolean;
}

/**
 * A form generated from an event schema. Validation runs on submit — every error shown under its field, worded
 * as the server words it, the first one focused — and from then on as the data changes, so each error goes away
 * as soon as it is fixed.
 */
export function SchemaForm({
  schema,
  uiSchema,
  formData,
  onChange,
  onSubmit,
  children,
  disabled,
}: SchemaFormProps) {
  const validator = useMemo(() => createFormValidator(), []);
  const [attempted, setAttempted] = useState(false);
  return (
    <Form
      schema={schema}
      uiSchema={uiSchema}
      formData={formData}
      validator={validator}
      fields={FIELDS}
      templates={TEMPLATES}
      experimental_defaultFormStateBehavior={DEFAULTS}
      liveValidate={attempted ? "onChange" : undefined}
      showErrorList="top"
      focusOnFirstError
      noHtml5Validate
      disabled={disabled}
      onChange={(event) => onChange(event.formData)}
      onError={() => setAttempted(true)}
      onSubmit={(event) => {
        setAttempted(true);
        onSubmit(event.formData);
      }}
    >
      {children}
    </Form>
  );
}
