import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordedRequest } from '../../src/sandbox/types.js';
import { rebaseRefs, SchemaChecks } from './schema-checks.js';

/**
 * GitHub's REST description from the dev dependency @octokit/openapi. Only this one generated file is
 * read (importing the package would load every variant, ~400 MB); it is read once for this file.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SPEC_PATH = join(ROOT, 'node_modules/@octokit/openapi/generated/api.github.com.json');

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Json;
}
interface Operation {
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses: Record<string, Json>;
}
interface GitHubSpec {
  paths: Record<string, Record<string, Operation>>;
  components: Json;
}

/** Rewrites local references (`#/components/...`) to the added document `gh`. */
function rebase<T>(value: T): T {
  return rebaseRefs(value, 'gh#/definitions');
}

/**
 * OpenAPI 3.0's `nullable: true` means "or null" wherever it sits, but ajv refuses it without `type`
 * (beside `allOf`/`anyOf`, e.g. the issue's `milestone`) and keeps an `enum` that lacks null
 * (the issue's `state_reason`, null while open): both are spelt out so null is allowed.
 */
function nullableAsAlternative<T>(value: T): T {
  if (Array.isArray(value)) return value.map(nullableAsAlternative) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out = Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, nullableAsAlternative(item)]),
  ) as Json;
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) {
    out.enum = [...out.enum, null];
  }
  if (out.nullable === true && out.type === undefined) {
    const { nullable: _nullable, ...rest } = out;
    return { anyOf: [{ type: 'null' }, rest] } as T;
  }
  return out as T;
}

export class GitHubDescription {
  private readonly checks = new SchemaChecks();

  constructor(private readonly description: GitHubSpec) {
    const ajv = this.checks.ajv;
    // OpenAPI annotations (`nullable` is understood by ajv itself).
    for (const keyword of ['example', 'discriminator', 'x-github-breaking-changes']) ajv.addKeyword(keyword);
    ajv.addFormat(
      'date-time',
      (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v) && !Number.isNaN(Date.parse(v)),
    );
    ajv.addFormat('uri', (v) => URL.canParse(v));
    ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
    ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
    ajv.addFormat('uri-template', true);
    ajv.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/);
    ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isSafeInteger(n) });
    const schemas = (description.components.schemas ?? {}) as Json;
    ajv.addSchema({
      $id: 'gh',
      definitions: { components: { schemas: rebase(nullableAsAlternative(schemas)) } },
    });
  }

  /** The operation a concrete path belongs to, preferring the template with the most literal segments. */
  operation(method: string, path: string): { template: string; operation: Operation } | undefined {
    const candidates = Object.entries(this.description.paths)
      .filter(
        ([template, item]) =>
          item[method.toLowerCase()] && new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
      )
      .sort(([a], [b]) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
    const [template, item] = candidates[0] ?? [];
    return template && item ? { template, operation: item[method.toLowerCase()]! } : undefined;
  }

  private resolve<T>(value: T | { $ref: string }): T {
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref !== 'string') return value as T;
    let target: unknown = this.description;
    for (const part of ref.slice(2).split('/'))
      target = (target as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    return this.resolve(target as T);
  }

  private validate(label: string, schema: Json, data: unknown): string[] {
    return this.checks.problems(label, rebase(nullableAsAlternative(schema)), data);
  }

  /**
   * The `x-ratelimit-*` headers of an answer against the description's own header definitions
   * (`components.headers.x-rate-limit-*`, which it attaches to GET /rate_limit only): each present, each a
   * whole number of the declared type.
   */
  checkRateLimitHeaders(label: string, headers: Headers): string[] {
    const declared = this.description.components.headers as Record<string, { schema: Json }>;
    return (['limit', 'remaining', 'reset'] as const).flatMap((name) => {
      const value = headers.get(`x-ratelimit-${name}`);
      if (value === null) return [`${label}: no x-ratelimit-${name} header`];
      if (!/^\d+$/.test(value)) return [`${label}: x-ratelimit-${name} is not a whole number: ${value}`];
      // `format: timestamp` (the reset, in epoch seconds) is GitHub's own annotation, unknown to JSON Schema.
      const { format: _annotation, ...schema } = declared[`x-rate-limit-${name}`]!.schema;
      return this.validate(`${label} x-ratelimit-${name}`, schema, Number(value));
    });
  }

  /** An answer's status must be declared (errors may fall back to GitHub's basic error) and its body match. */
  checkAnswer(method: string, path: string, status: number, body: unknown): string[] {
    const found = this.operation(method, path);
    const label = `${method} ${found?.template ?? path} ${status}`;
    if (!found) return [`${label}: no such operation in the description`];
    const declared = found.operation.responses[String(status)];
    if (!declared) {
      return status >= 400
        ? this.validate(label, { $ref: '#/components/schemas/basic-error' }, body)
        : [`${label}: status not declared`];
    }
    const schema = this.resolve<Json>(declared).content as Record<string, { schema?: Json }> | undefined;
    const bodySchema = schema?.['application/json']?.schema;
    return bodySchema ? this.validate(label, bodySchema, body) : [];
  }

  /** A request our provider sent: a declared operation, declared query parameters, a matching body. */
  checkRequest(request: RecordedRequest): string[] {
    const label = `${request.method} ${request.path}`;
    const found = this.operation(request.method, request.path);
    if (!found) return [`${label}: no such operation in the description`];
    const parameters = (found.operation.parameters ?? []).map((p) => this.resolve<Parameter>(p));
    const problems: string[] = [];
    for (const [name, value] of new URLSearchParams(request.query)) {
      const parameter = parameters.find((p) => p.in === 'query' && p.name === name);
      if (!parameter) problems.push(`${label}: query ${name} is not declared`);
      else if (parameter.schema?.type === 'integer' && !/^\d+$/.test(value))
        problems.push(`${label}: ${name}=${value}`);
    }
    const bodySchema = found.operation.requestBody?.content?.['application/json']?.schema;
    if (bodySchema) problems.push(...this.validate(`${label} body`, bodySchema, request.body));
    else if (request.body !== undefined) problems.push(`${label}: sends a body the operation does not take`);
    return problems;
  }
}

/** The description, read once per test file; null when the dev dependency is not installed. */
export function loadGitHubDescription(): GitHubDescription | null {
  return existsSync(SPEC_PATH)
    ? new GitHubDescription(JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as GitHubSpec)
    : null;
}
