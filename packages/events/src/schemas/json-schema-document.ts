/** A JSON Schema document as data (draft-07). */
export interface JsonSchemaDocument {
  readonly $schema?: string;
  readonly $id?: string;
  readonly title?: string;
  readonly description?: string;
  readonly [keyword: string]: unknown;
}
