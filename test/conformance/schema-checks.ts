import { Ajv, type ValidateFunction } from 'ajv';

/**
 * Checks values against schemas of a third-party API description (GitHub, Slack, PagerDuty), each
 * schema compiled once. Strict mode stays on for unknown keywords and formats (a misspelled keyword must
 * not pass unnoticed); only the type/required/tuple inference checks are off, which these published
 * documents fail in schemas we never use and which would otherwise refuse a document whole. The caller
 * adds the document's own keywords, formats and schemas to `ajv`.
 */
export class SchemaChecks {
  readonly ajv = new Ajv({
    strict: true,
    strictTypes: false,
    strictRequired: false,
    strictTuples: false,
    allErrors: true,
  });
  private readonly compiled = new Map<string, ValidateFunction>();

  /** What is wrong with `data` against `schema`, one line each starting with `label`; empty when it matches. */
  problems(label: string, schema: Record<string, unknown>, data: unknown): string[] {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(key, validate);
    }
    if (validate(data)) return [];
    return (validate.errors ?? []).map(
      (e) => `${label}: ${e.instancePath || '(root)'} ${e.message} ${JSON.stringify(e.params)}`,
    );
  }
}

/**
 * Rewrites a description's local references (`#/...`) to point under `base`, the document they were
 * added to ajv as (e.g. `gh#/definitions` turns `#/components/x` into `gh#/definitions/components/x`).
 */
export function rebaseRefs<T>(value: T, base: string): T {
  if (Array.isArray(value)) return value.map((item) => rebaseRefs(item, base)) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      key === '$ref' && typeof item === 'string' && item.startsWith('#/')
        ? `${base}${item.slice(1)}`
        : rebaseRefs(item, base),
    ]),
  ) as T;
}
