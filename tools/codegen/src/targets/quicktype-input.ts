import { pathToFileURL } from "node:url";
import {
  InputData,
  type JSONSchema,
  type JSONSchemaAttributes,
  JSONSchemaInput,
  JSONSchemaStore,
  quicktype,
  type TargetLanguage,
} from "quicktype-core";
// Not re-exported by the package index; the ESM build must be used so the attribute kind is the same object
// quicktype's own pipeline compares against.
import { propertyDescriptionsTypeAttributeKind } from "quicktype-core/dist/esm/attributes/Description.js";
import { type JsonSchema, SCHEMA_BASE_URI, type SchemaSet } from "../schema-set.js";

/** A schema the SDK generators cannot turn into models, with the file and place that need attention. */
export class ModelGenerationError extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = "ModelGenerationError";
  }
}

// Descriptions of `$ref` properties travel under this keyword of the parent object (see prepareSchema).
const REF_DESCRIPTIONS = "x-sibyl-ref-descriptions";

/**
 * The copy of a schema file that quicktype reads. Three rewrites keep every shared shape one model type:
 * - `$id` is dropped, so relative `$ref`s resolve against the file's own `file://` URI and every reference to a
 *   file reaches the same canonical address (otherwise the `https://schemas.sibyl.dev/` copy and the file copy
 *   of `UserInfo` become two classes);
 * - a `$ref` keeps no siblings (draft-07 ignores them anyway): quicktype intersects a `$ref` with its siblings,
 *   so `{ $ref: ItemRef, description }` would make a new class per description; the descriptions of `$ref`
 *   properties move to the parent, where a producer turns them back into property doc comments;
 * - `$ref: "#"` names its own file, so a recursive Filter is one type instead of one per nesting path.
 * Event files also lose `event_type`: the renderers make it a constant of each event class (a one-value enum
 * per event type is noise for users) and check it themselves when decoding.
 */
export function prepareSchema(schema: JsonSchema, fileName: string, isEvent: boolean): JSONSchema {
  const prepared = prepareNode(schema, fileName) as JsonSchema;
  if (isEvent) {
    const { event_type: _eventType, ...properties } = prepared.properties as JsonSchema;
    prepared.properties = properties;
    prepared.required = (prepared.required as string[]).filter((name) => name !== "event_type");
    const refDescriptions = prepared[REF_DESCRIPTIONS] as Record<string, string> | undefined;
    if (refDescriptions) delete refDescriptions.event_type;
  }
  return prepared as JSONSchema;
}

// Keywords whose meaning the SDK models cannot carry. quicktype turns a oneOf of objects into one class with
// every branch's properties, optional: a model that accepts what no branch allows.
const UNMODELLED_KEYWORDS = ["oneOf", "anyOf", "allOf", "not", "if", "then", "else", "dependencies"];

const SCHEMA_KEYWORDS = ["items", "additionalItems", "contains", "additionalProperties", "propertyNames"];

function prepareNode(node: unknown, fileName: string, at = "#"): unknown {
  if (Array.isArray(node)) return node.map((item, i) => prepareNode(item, fileName, `${at}/${i}`));
  if (node === null || typeof node !== "object") return node;
  const schema = node as JsonSchema;
  if (typeof schema.$ref === "string") return { $ref: schema.$ref === "#" ? fileName : schema.$ref };
  const prepared: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (UNMODELLED_KEYWORDS.includes(keyword)) {
      throw new ModelGenerationError(
        `${fileName}${at}`,
        `"${keyword}" has no SDK model (quicktype would merge or drop its branches); describe the value without it`,
      );
    }
    if (keyword === "$id" || keyword === "x-sibyl") continue;
    if (keyword === "definitions" || keyword === "patternProperties") {
      prepared[keyword] = Object.fromEntries(
        Object.entries(value as JsonSchema).map(([name, subschema]) => [
          name,
          prepareNode(subschema, fileName, `${at}/${keyword}/${name}`),
        ]),
      );
      continue;
    }
    if (keyword !== "properties") {
      // Only subschemas are walked: an enum, const or default value is data, whatever keys it has.
      const isSchema = SCHEMA_KEYWORDS.includes(keyword);
      prepared[keyword] = isSchema ? prepareNode(value, fileName, `${at}/${keyword}`) : value;
      continue;
    }
    const properties: JsonSchema = {};
    const refDescriptions: Record<string, string> = {};
    for (const [name, property] of Object.entries(value as JsonSchema)) {
      const { $ref, description } = property as JsonSchema;
      if (typeof $ref === "string" && typeof description === "string") refDescriptions[name] = description;
      properties[name] = prepareNode(property, fileName, `${at}/properties/${name}`);
    }
    prepared.properties = properties;
    if (Object.keys(refDescriptions).length > 0) prepared[REF_DESCRIPTIONS] = refDescriptions;
  }
  return prepared;
}

function refDescriptionProducer(schema: JSONSchema): JSONSchemaAttributes | undefined {
  if (typeof schema !== "object") return undefined;
  const descriptions = schema[REF_DESCRIPTIONS] as Record<string, string> | undefined;
  if (descriptions === undefined) return undefined;
  const byProperty = new Map(Object.entries(descriptions).map(([name, text]) => [name, new Set([text])]));
  return { forObject: propertyDescriptionsTypeAttributeKind.makeAttributes(byProperty) };
}

/**
 * Serves the schema files from the loaded set, under their `file://` URIs and their `$id`s alike; an address
 * outside the set is an error, so generation never reaches for the network.
 */
export class LocalSchemaStore extends JSONSchemaStore {
  private readonly byAddress = new Map<string, JSONSchema>();

  constructor(set: SchemaSet) {
    super();
    const eventPaths = new Set(set.events.map((event) => event.path));
    for (const file of set.files) {
      const fileName = file.path.slice(file.path.lastIndexOf("/") + 1);
      const prepared = prepareSchema(file.schema, fileName, eventPaths.has(file.path));
      this.byAddress.set(fileUri(file.absolutePath), prepared);
      this.byAddress.set(SCHEMA_BASE_URI + file.path, prepared);
    }
  }

  async fetch(address: string): Promise<JSONSchema | undefined> {
    const hash = address.indexOf("#");
    const schema = this.byAddress.get(hash < 0 ? address : address.slice(0, hash));
    if (schema === undefined) {
      throw new ModelGenerationError(address, "is not a schema file of schemas/ (generation never fetches)");
    }
    return schema;
  }
}

function fileUri(absolutePath: string): string {
  return pathToFileURL(absolutePath).href;
}

/**
 * Every event, API body and shared shape as a top level, named after its file. `Identifiers` holds only
 * scalar definitions, which become plain strings and numbers, so it has no model of its own.
 */
export async function quicktypeInput(set: SchemaSet): Promise<InputData> {
  const input = new JSONSchemaInput(new LocalSchemaStore(set), [refDescriptionProducer]);
  for (const file of set.files) {
    if (file.kind === "common" && file.schema.definitions !== undefined && file.schema.type === undefined)
      continue;
    await input.addSource({ name: file.name, uris: [fileUri(file.absolutePath)] });
  }
  const data = new InputData();
  data.addInput(input);
  return data;
}

/** Runs quicktype over the whole schema set with one of the Sibyl renderers. */
export async function renderModels(set: SchemaSet, language: TargetLanguage): Promise<string> {
  const result = await quicktype({
    inputData: await quicktypeInput(set),
    lang: language,
    // Each renderer writes its own header; quicktype's default one shows usage for every top level.
    leadingComments: [],
    rendererOptions: {},
  });
  // Doc comments that join several descriptions carry indented blank lines; nothing else ends in spaces.
  return `${result.lines
    .join("\n")
    .replace(/[ \t]+$/gm, "")
    .trimEnd()}\n`;
}
