/**
 * Flattens a JSON Schema (the subset our two schemas use: properties, items, patternProperties, $ref
 * into $defs, enum, const, and the usual bounds) into one row per field, for the reference pages.
 */

export interface JsonSchema {
  description?: string;
  examples?: unknown[];
  type?: string;
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  propertyNames?: JsonSchema;
  required?: string[];
  items?: JsonSchema;
  $defs?: Record<string, JsonSchema>;
  pattern?: string;
  /** The CLI rules that report this node's pattern (see src/manifest/schema/schema-errors.ts). */
  'x-reportedBy'?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  additionalProperties?: boolean | JsonSchema;
  title?: string;
}

export interface FieldRow {
  /** `incidents[].status.hypothesis`; `roster.<key>.github` below patternProperties. */
  path: string;
  /** `string`, `number`, `list of object`, `one of planned, emergency`, `handover/v1` (a constant). */
  type: string;
  required: 'yes' | 'no' | 'conditional';
  description: string;
  /** The schema's first example, when the field is a leaf. */
  example?: unknown;
  /** Bounds and patterns, e.g. `at most 100 characters`, `pattern ^[a-z]+$`. */
  constraints: string[];
}

/** Merges a `$ref` into the schema that holds it; the holder's own keywords (description) win. */
export function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const match = /^#\/\$defs\/([^/]+)$/.exec(schema.$ref);
  const target = match?.[1] === undefined ? undefined : root.$defs?.[match[1]];
  if (!target) throw new Error(`cannot resolve $ref ${schema.$ref}: only #/$defs/<name> is supported`);
  const { $ref: _ref, ...own } = schema;
  return { ...resolveRef(target, root), ...own };
}

function typeOf(schema: JsonSchema, root: JsonSchema): string {
  if (schema.const !== undefined) return `constant ${JSON.stringify(schema.const)}`;
  if (schema.enum) return `one of ${schema.enum.map((value) => String(value)).join(', ')}`;
  if (schema.type === 'array' && schema.items)
    return `list of ${typeOf(resolveRef(schema.items, root), root)}`;
  if (schema.type === 'object' && schema.patternProperties) return 'map of object';
  return schema.type ?? 'any';
}

function constraintsOf(schema: JsonSchema): string[] {
  const out: string[] = [];
  if (schema.minLength !== undefined && schema.minLength > 1)
    out.push(`at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) out.push(`at most ${schema.maxLength} characters`);
  if (schema.minimum !== undefined) out.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) out.push(`≤ ${schema.maximum}`);
  if (schema.minItems !== undefined) out.push(`at least ${schema.minItems} items`);
  if (schema.maxItems !== undefined) out.push(`at most ${schema.maxItems} items`);
  if (schema.minProperties !== undefined)
    out.push(`at least ${schema.minProperties} ${schema.minProperties === 1 ? 'entry' : 'entries'}`);
  if (schema.maxProperties !== undefined) out.push(`at most ${schema.maxProperties} entries`);
  // A pattern the CLI's own rules report is there for editors: name the rules, not the expression.
  if (schema['x-reportedBy'] !== undefined) out.push(`checked by ${schema['x-reportedBy'].join(', ')}`);
  else if (schema.pattern !== undefined) out.push(`pattern ${schema.pattern}`);
  return out;
}

function requirement(key: string, parent: JsonSchema, schema: JsonSchema): FieldRow['required'] {
  if (parent.required?.includes(key)) return 'yes';
  // The schema cannot say "required when variant is emergency"; the description does, and so do we.
  return /\brequired\b/i.test(schema.description ?? '') ? 'conditional' : 'no';
}

function isLeaf(schema: JsonSchema): boolean {
  return schema.type !== 'object' && schema.type !== 'array';
}

/** Every field of the schema, parents before their children, in the schema's own order. */
export function schemaFields(root: JsonSchema): FieldRow[] {
  const rows: FieldRow[] = [];
  const visitObject = (schema: JsonSchema, prefix: string) => {
    for (const [key, raw] of Object.entries(schema.properties ?? {}))
      visit(resolveRef(raw, root), `${prefix}${key}`, requirement(key, schema, raw));
    for (const [pattern, raw] of Object.entries(schema.patternProperties ?? {})) {
      const entry = resolveRef(raw, root);
      rows.push({
        path: `${prefix}<key>`,
        type: typeOf(entry, root),
        required: 'no',
        description: entry.description ?? '',
        constraints: [
          `key pattern ${pattern}`,
          ...constraintsOf(schema.propertyNames ?? {}).map((constraint) => `key ${constraint}`),
        ],
      });
      visitObject(entry, `${prefix}<key>.`);
    }
  };
  const visit = (schema: JsonSchema, path: string, required: FieldRow['required']) => {
    const row: FieldRow = {
      path,
      type: typeOf(schema, root),
      required,
      description: schema.description ?? '',
      constraints: constraintsOf(schema),
    };
    if (isLeaf(schema) && schema.examples?.[0] !== undefined) row.example = schema.examples[0];
    rows.push(row);
    if (schema.type === 'object') visitObject(schema, `${path}.`);
    if (schema.type === 'array' && schema.items) {
      const item = resolveRef(schema.items, root);
      if (item.type === 'object') visitObject(item, `${path}[].`);
    }
  };
  visitObject(root, '');
  return rows;
}
