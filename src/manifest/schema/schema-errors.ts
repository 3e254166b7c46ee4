import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../../diagnostics.js';
import type { RuleId } from '../../rules/registry.js';
import { diagnosticAt } from '../located.js';
import { closestMatch } from '../suggest.js';
import { describePath, describeType, pointerToPath, printable, quoteValue } from '../wording.js';
import { MAX_DIAGNOSTICS_PER_KIND } from '../yaml/limits.js';
import type { DocumentPath, SourceMap } from '../yaml/source-map.js';

/** The parts of a JSON Schema node that messages draw on. */
export interface SchemaNode {
  description?: string;
  examples?: unknown[];
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  type?: string;
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  items?: SchemaNode;
  /** The CLI's own rules that report this node's pattern (the pattern is there for editors). */
  'x-reportedBy'?: string[];
}

/**
 * Whether a located rule of the CLI reports this error itself: the schema states the check too, so that
 * editors flag it (a TODO left in a status paragraph), but the rule's message and id are the CLI's.
 */
function reportedByRule(error: ErrorObject): boolean {
  return (
    error.keyword === 'pattern' &&
    (error.parentSchema as SchemaNode | undefined)?.['x-reportedBy'] !== undefined
  );
}

export interface SchemaErrorContext {
  source: SourceMap;
  file: string;
  /** The validated document, to say what was found. */
  document: unknown;
  /** What the document is called in messages about its top level: `the manifest`, `the config`. */
  rootName: string;
  /** A domain rule id for some schema checks, e.g. rampPercent's range is `rollout.range`. */
  ruleFor?: (keyword: string, path: DocumentPath) => RuleId | undefined;
}

const RULE_BY_KEYWORD: Record<string, RuleId> = {
  additionalProperties: 'schema.unknown-key',
  required: 'schema.required',
  type: 'schema.type',
  enum: 'schema.enum',
  const: 'schema.const',
  pattern: 'schema.pattern',
  maxLength: 'schema.length',
  minLength: 'schema.length',
  maxItems: 'schema.items',
  minItems: 'schema.items',
  minimum: 'schema.range',
  maximum: 'schema.range',
  exclusiveMinimum: 'schema.range',
  exclusiveMaximum: 'schema.range',
  minProperties: 'schema.entries',
  maxProperties: 'schema.entries',
};

function valueAt(document: unknown, path: DocumentPath): unknown {
  let node = document;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return node;
}

function firstExample(node: SchemaNode | undefined): unknown {
  return node?.examples?.[0];
}

/** "…, e.g. `SUP-4411`" from the schema's examples (scalars only). */
function exampleSuffix(node: SchemaNode | undefined): string {
  const example = firstExample(node);
  return example !== undefined && typeof example !== 'object' ? `, e.g. \`${String(example)}\`` : '';
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function withoutFinalStop(text: string): string {
  return text.replace(/\.$/, '');
}

/** How to write a missing member: `end: 2026-11-26T18:00:00Z`, or `window:` with `start` and `end`. */
function howToAdd(name: string, node: SchemaNode | undefined): string {
  const example = firstExample(node);
  if (example === undefined || example === null) return `\`${name}:\``;
  if (Array.isArray(example)) return `\`${name}:\` (a list)`;
  if (typeof example === 'object') {
    const keys = Object.keys(example as object).map((k) => `\`${k}\``);
    return `\`${name}:\` with ${keys.join(' and ')}`;
  }
  return `\`${name}: ${String(example)}\``;
}

function expectedType(type: string): string {
  switch (type) {
    case 'string':
      return 'text';
    case 'number':
    case 'integer':
      return 'a number';
    case 'object':
      return 'a mapping (`key: value` lines)';
    case 'array':
      return 'a list (`- ` items)';
    case 'boolean':
      return 'true or false';
    default:
      return type;
  }
}

function describeLimit(keyword: string, limit: number): string {
  switch (keyword) {
    case 'minimum':
      return `at least ${limit}`;
    case 'maximum':
      return `at most ${limit}`;
    case 'exclusiveMinimum':
      return `more than ${limit}`;
    default:
      return `less than ${limit}`;
  }
}

interface Placed {
  rule: RuleId;
  message: string;
  path: DocumentPath;
  /** Whether the finding points at a key (unknown or missing member) or at a value. */
  at: 'key' | 'value';
}

function explain(error: ErrorObject, context: SchemaErrorContext): Placed | null {
  // A key that fails `propertyNames` also fails the key pattern, reported as an unknown key with a hint.
  if (error.keyword === 'propertyNames' || error.propertyName !== undefined) return null;
  if (reportedByRule(error)) return null;
  const path = pointerToPath(error.instancePath);
  const where = describePath(path, context.rootName);
  // The validators are generated with `verbose`, so each error carries the schema node it comes from.
  const owner = error.parentSchema as SchemaNode | undefined;
  const value = valueAt(context.document, path);
  const rule = RULE_BY_KEYWORD[error.keyword] ?? 'schema.invalid';
  const params = error.params as Record<string, unknown>;
  const described = owner?.description ? `: ${lowerFirst(withoutFinalStop(owner.description))}` : '';

  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const keyPath = [...path, key];
      if (owner?.patternProperties) {
        const exampleKey = Object.keys((firstExample(owner) as object | undefined) ?? {})[0];
        return {
          rule,
          path: keyPath,
          at: 'key',
          message: `${quoteValue(key)} is not a valid key in \`${where}\`: keys are lowercase letters, digits, \`.\`, \`_\` and \`-\`, starting with a letter${exampleKey ? `, e.g. \`${exampleKey}\`` : ''}`,
        };
      }
      const allowed = Object.keys(owner?.properties ?? {});
      const suggestion = closestMatch(key, allowed);
      const hint = suggestion
        ? `did you mean \`${suggestion}\`?`
        : `allowed keys here: ${allowed.map((k) => `\`${k}\``).join(', ')}`;
      return {
        rule,
        path: keyPath,
        at: 'key',
        message: `unknown key ${quoteValue(key)} in ${path.length === 0 ? where : `\`${where}\``}: ${hint}`,
      };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const missingNode = owner?.properties?.[missing];
      const why = missingNode?.description
        ? ` (${lowerFirst(withoutFinalStop(missingNode.description))})`
        : '';
      const holder = path.length === 0 ? where : `\`${where}\``;
      return {
        rule,
        path,
        at: 'key',
        message: `${holder} is missing \`${missing}\`${why}: add ${howToAdd(missing, missingNode)}`,
      };
    }
    case 'type': {
      const wanted = String(params.type);
      if (path.length === 0) {
        return {
          rule,
          path,
          at: 'value',
          message: `${where} must be a YAML mapping of \`key: value\` lines (found ${describeType(value)})`,
        };
      }
      if (wanted === 'string' && value !== null && typeof value !== 'object') {
        const written = context.source.scalarSource(path) ?? String(value);
        return {
          rule,
          path,
          at: 'value',
          message: `\`${where}\` must be text, but YAML reads ${quoteValue(written)} as ${describeType(value)}: quote it, e.g. '${printable(written).replace(/'/g, "''")}'`,
        };
      }
      return {
        rule,
        path,
        at: 'value',
        message: `\`${where}\` must be ${expectedType(wanted)}, found ${describeType(value)}${described}${exampleSuffix(owner)}`,
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = typeof value === 'string' ? closestMatch(value, allowed) : null;
      const list = allowed.map((v) => `\`${v}\``).join(', ');
      return {
        rule,
        path,
        at: 'value',
        message: `\`${where}\` must be one of ${list} (found ${value === undefined || value === null ? 'nothing' : quoteValue(value)})${suggestion ? `: did you mean \`${suggestion}\`?` : ''}`,
      };
    }
    case 'const':
      return {
        rule,
        path,
        at: 'value',
        message: `\`${where}\` must be \`${String(params.allowedValue)}\` (found ${quoteValue(value)})`,
      };
    case 'pattern':
      return {
        rule,
        path,
        at: 'value',
        message: `\`${where}\` has the wrong form (${quoteValue(value)}); expected ${owner?.description ? lowerFirst(withoutFinalStop(owner.description)) : `text matching ${String(params.pattern)}`}${exampleSuffix(owner)}`,
      };
    case 'maxLength':
      return {
        rule,
        path,
        at: 'value',
        message: `\`${where}\` is too long: at most ${String(params.limit)} characters (found ${typeof value === 'string' ? [...value].length : '?'})`,
      };
    case 'minLength':
      return {
        rule,
        path,
        at: 'value',
        message: `\`${where}\` is empty: write it out${described}`,
      };
    case 'maxItems':
      return {
        rule,
        path,
        at: 'key',
        message: `\`${where}\` has ${Array.isArray(value) ? value.length : 'too many'} entries; at most ${String(params.limit)} are allowed`,
      };
    case 'minItems':
      return {
        rule,
        path,
        at: 'key',
        message: `\`${where}\` needs at least ${String(params.limit)} entries`,
      };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        rule,
        path,
        at: 'value',
        message: `\`${where}\` must be ${describeLimit(error.keyword, Number(params.limit))} (found ${quoteValue(value)})${described}`,
      };
    case 'minProperties':
      return {
        rule,
        path,
        at: 'key',
        message: `\`${where}\` needs at least ${String(params.limit)} ${Number(params.limit) === 1 ? 'entry' : 'entries'}${described}`,
      };
    case 'maxProperties':
      return {
        rule,
        path,
        at: 'key',
        message: `\`${where}\` has too many entries: at most ${String(params.limit)}`,
      };
    default:
      return {
        rule,
        path,
        at: 'value',
        message: `\`${where}\` is not valid: ${error.message ?? error.keyword}`,
      };
  }
}

/**
 * ajv's errors as located diagnostics with stable rule ids and a message that says what to write.
 * At most MAX_DIAGNOSTICS_PER_KIND are kept (the first by position); a last one says how many more.
 */
export function schemaDiagnostics(errors: readonly ErrorObject[], context: SchemaErrorContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const error of errors) {
    const placed = explain(error, context);
    if (!placed) continue;
    const rule = context.ruleFor?.(error.keyword, placed.path) ?? placed.rule;
    const position =
      placed.at === 'key'
        ? context.source.keyPosition(placed.path)
        : context.source.valuePosition(placed.path);
    found.push(diagnosticAt(context.file, position, rule, placed.message));
  }
  found.sort((a, b) => a.line - b.line || a.column - b.column);
  if (found.length <= MAX_DIAGNOSTICS_PER_KIND) return found;
  const kept = found.slice(0, MAX_DIAGNOSTICS_PER_KIND);
  const next = found[MAX_DIAGNOSTICS_PER_KIND] as Diagnostic;
  kept.push({
    ...next,
    rule: 'schema.more-errors',
    message: `${found.length - MAX_DIAGNOSTICS_PER_KIND} more schema errors from here on are not shown: fix the ones above and validate again`,
  });
  return kept;
}

/** The instance paths (JSON pointers) that have schema errors: rules skip those parts (not their own). */
export function invalidPointers(errors: readonly ErrorObject[]): Set<string> {
  const pointers = new Set<string>();
  for (const error of errors) if (!reportedByRule(error)) pointers.add(error.instancePath);
  return pointers;
}
