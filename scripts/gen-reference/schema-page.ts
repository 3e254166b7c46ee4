import { stringify } from 'yaml';
import { block, cell, code, generatedNotice, table } from './markdown.js';
import { type FieldRow, type JsonSchema, resolveRef, schemaFields } from './schema-fields.js';

export interface SchemaPage {
  /** The schema, as parsed JSON. */
  schema: JsonSchema;
  /** Its path in the repository, for the notice and the links. */
  schemaPath: string;
  heading: string;
  /** The paragraph between the heading and the schema's own description. */
  intro: string;
}

function exampleCell(row: FieldRow): string {
  if (row.example === undefined) return '';
  const text = typeof row.example === 'string' ? row.example : JSON.stringify(row.example);
  return cell(code(text));
}

/**
 * A whole document made of the schema's own examples for its top-level fields. Fields required only
 * in some variants (their description says when) are left out: together they would contradict.
 */
export function composedExample(schema: JsonSchema): Record<string, unknown> {
  const example: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(schema.properties ?? {})) {
    const field = resolveRef(raw, schema);
    const required = schema.required?.includes(key) ?? false;
    if (!required && /\brequired\b/i.test(field.description ?? '')) continue;
    const value = field.examples?.[0] ?? (field.const !== undefined ? field.const : undefined);
    if (value !== undefined) example[key] = value;
  }
  return example;
}

export function renderSchemaPage(page: SchemaPage): string {
  const rows = schemaFields(page.schema);
  const example = stringify(composedExample(page.schema), { version: '1.2', schema: 'core', lineWidth: 0 });
  const tableRows = rows.map((row) => [
    code(row.path),
    cell(row.type),
    row.required,
    cell(row.description),
    cell(
      row.constraints
        .map((constraint) =>
          constraint.replace(/^(.*pattern )(.+)$/, (_, lead, pattern) => `${lead}${code(pattern)}`),
        )
        .join('; '),
    ),
    exampleCell(row),
  ]);
  return [
    `# ${page.heading}`,
    '',
    generatedNotice(page.schemaPath),
    '',
    page.intro,
    '',
    ...(page.schema.description ? [`From the schema: ${page.schema.description}`, ''] : []),
    '## Example',
    '',
    block(example, 'yaml'),
    '',
    '## Fields',
    '',
    `Every field of [\`${page.schemaPath}\`](../../${page.schemaPath}). Unknown keys are errors. “conditional” means the description says when the field is required.`,
    '',
    table(['Field', 'Type', 'Required', 'Description', 'Limits', 'Example'], tableRows),
    '',
  ].join('\n');
}
