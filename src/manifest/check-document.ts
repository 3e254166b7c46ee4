/**
 * The one pipeline every YAML document of ours goes through: strict YAML → JSON Schema (precompiled)
 * → rules on the schema-valid parts → sorted diagnostics. Manifests and the config differ only in the
 * schema, the rules and how their top level is named.
 */
import type { ErrorObject } from 'ajv';
import type { HandoverConfig } from '../config/types.js';
import { type Diagnostic, hasErrors } from '../diagnostics.js';
import { sortDiagnostics } from './located.js';
import { createRuleContext, type Rule } from './rules/context.js';
import { COMMON_RULES, runRules } from './rules/index.js';
import { invalidPointers, type SchemaErrorContext, schemaDiagnostics } from './schema/schema-errors.js';
import { readStrictYaml } from './yaml/strict-yaml.js';

export interface DocumentKind {
  schema: { validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null } };
  /** How messages name the top level: `the manifest`, `the config`. */
  rootName: string;
  /** The rules for this kind of document; the common ones (credentials, control characters) always run. */
  rules: readonly Rule[];
  ruleFor?: SchemaErrorContext['ruleFor'];
}

export interface CheckedDocument {
  /** The document as read; schema-valid exactly when `valid` is true. */
  document: unknown;
  diagnostics: Diagnostic[];
  valid: boolean;
}

export function checkDocument(
  text: string,
  file: string,
  kind: DocumentKind,
  options: { config?: HandoverConfig; now?: Date } = {},
): CheckedDocument {
  const yaml = readStrictYaml(text, file);
  const diagnostics: Diagnostic[] = [...yaml.diagnostics];
  let invalid = new Set<string>();
  if (yaml.value !== undefined) {
    const { validate } = kind.schema;
    const errors = validate(yaml.value) ? [] : [...(validate.errors ?? [])];
    invalid = invalidPointers(errors);
    diagnostics.push(
      ...schemaDiagnostics(errors, {
        source: yaml.source,
        file,
        document: yaml.value,
        rootName: kind.rootName,
        ruleFor: kind.ruleFor,
      }),
    );
  }
  const context = createRuleContext({
    file,
    text: yaml.text,
    source: yaml.source,
    document: yaml.value,
    invalidPointers: invalid,
    config: options.config,
    now: options.now,
  });
  if (yaml.value !== undefined) diagnostics.push(...runRules(kind.rules, context));
  diagnostics.push(...runRules(COMMON_RULES, context));
  const sorted = sortDiagnostics(diagnostics);
  return { document: yaml.value, diagnostics: sorted, valid: !hasErrors(sorted) };
}
