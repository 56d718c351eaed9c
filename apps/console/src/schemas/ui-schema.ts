import type { RJSFSchema, UiSchema } from "@rjsf/utils";
import { definitionName } from "./bundle-schema.js";

/** Where a bundled schema keeps the Filter: it is edited as JSON text wherever it appears. */
const FILTER_REF = `#/definitions/${definitionName("api/Filter.schema.json")}`;
/** The envelope fields a person rarely sets: shown last. */
const ENVELOPE = ["event_id", "event_time"];

type Schema = Record<string, unknown>;

/**
 * The uiSchema of an event's form, derived from its bundled schema: fields are labelled with their names,
 * event_type is fixed (hidden), required fields come first and the optional envelope last, and every Filter is a
 * JSON field. Descriptions need nothing here:
 * rjsf shows each field's `description` as its help text.
 */
export function eventUiSchema(schema: RJSFSchema): UiSchema {
  const ui = uiFor(schema as Schema, schema as Schema, new Set()) ?? {};
  const properties = Object.keys((schema.properties as Schema | undefined) ?? {});
  const required = new Set(schema.required ?? []);
  ui["ui:order"] = [
    ...properties.filter((name) => required.has(name) && name !== "event_type"),
    ...properties.filter((name) => !required.has(name) && !ENVELOPE.includes(name)),
    ...ENVELOPE.filter((name) => properties.includes(name)),
    "*",
  ];
  ui.event_type = { "ui:widget": "hidden" };
  // The page around the form already names the event type and shows its description.
  ui["ui:options"] = { label: false };
  return ui;
}

/** The uiSchema entries a (sub)schema needs, or undefined when it needs none. */
function uiFor(node: Schema, root: Schema, visiting: Set<string>): UiSchema | undefined {
  const ref = node.$ref;
  if (typeof ref === "string") {
    if (ref === FILTER_REF) return { "ui:field": "json" };
    // A recursive reference other than the Filter: left to rjsf, which expands cycles on demand.
    if (visiting.has(ref)) return undefined;
    const target = resolveLocal(root, ref);
    if (!target) return undefined;
    visiting.add(ref);
    const ui = uiFor(target, root, visiting);
    visiting.delete(ref);
    return ui;
  }
  const ui: UiSchema = {};
  const properties = node.properties as Record<string, Schema> | undefined;
  for (const [name, child] of Object.entries(properties ?? {})) {
    // Labelled by the field's own name — what the API, the JSON and every error pointer call it.
    ui[name] = { ...uiFor(child, root, visiting), "ui:title": name };
  }
  if (node.items && typeof node.items === "object" && !Array.isArray(node.items)) {
    const items = node.items as Schema;
    // A set of values from a short list (interaction kinds, content fields): checkboxes, not a multi-select box.
    const choices = typeof items.$ref === "string" ? resolveLocal(root, items.$ref) : items;
    if (node.uniqueItems === true && Array.isArray(choices?.enum)) {
      ui["ui:widget"] = "checkboxes";
      ui["ui:options"] = { inline: true };
    } else {
      const itemsUi = uiFor(items, root, visiting);
      if (itemsUi) ui.items = itemsUi;
    }
  }
  return Object.keys(ui).length > 0 ? ui : undefined;
}

function resolveLocal(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith("#")) return undefined;
  let node: unknown = root;
  for (const raw of decodeURIComponent(ref.slice(1)).split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
    node = (node as Schema)[key];
  }
  return node !== null && typeof node === "object" ? (node as Schema) : undefined;
}
