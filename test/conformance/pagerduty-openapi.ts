import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ajv } from 'ajv';
import type { RecordedRequest } from '../../src/sandbox/types.js';
import { rebaseRefs, SchemaChecks } from './schema-checks.js';

/**
 * PagerDuty's published REST API description (OpenAPI 3.0, PagerDuty/api-schema), used to check
 * the emulator's answers and the provider's requests. It lives outside the project
 * (../shared/specs, or $HANDOVER_SPECS_DIR); a clone without it skips these tests.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PAGERDUTY_SPEC_PATH = join(
  process.env.HANDOVER_SPECS_DIR ?? join(ROOT, '../shared/specs'),
  'pagerduty-rest-openapiv3.json',
);

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'query' | 'header' | 'path';
  required?: boolean;
  schema?: Json;
}

interface Operation {
  parameters?: ({ $ref: string } | Parameter)[];
  requestBody?: { content?: Record<string, { schema?: Json }> };
  responses: Record<string, Json>;
}

/**
 * Where the published description disagrees with PagerDuty's own examples and answers. Each is
 * applied to our copy before validating, and says why.
 */
const KNOWN_DIVERGENCES: { why: string; patch: (components: Json) => void }[] = [
  {
    why: 'Incident.resolved_at is "null if the incident is not resolved" (its own description and the GET /incidents/{id} example), but the schema does not say nullable',
    patch: (components) => {
      const incident = (components.schemas as Json).Incident as { allOf: { properties?: Json }[] };
      const resolvedAt = incident.allOf[1]!.properties!.resolved_at as Json;
      resolvedAt.nullable = true;
    },
  },
  {
    why: 'Channel is a oneOf of open objects whose properties are all optional, so every channel matches several alternatives and oneOf can never pass (the log-entry example, channel {"type": "api"}, fails it too): anyOf is what it means',
    patch: (components) => {
      const channel = (components.schemas as Json).Channel as Json;
      channel.anyOf = channel.oneOf;
      delete channel.oneOf;
    },
  },
  {
    why: 'AcknowledgeLogEntry narrows `type` to "acknowledgement_log_entry", which its own base LogEntry does not allow, so no entry can match it; LogEntry and LogEntryReference call it acknowledge_log_entry',
    patch: (components) => {
      const entry = (components.schemas as Json).AcknowledgeLogEntry as { allOf: { properties?: Json }[] };
      (entry.allOf[1]!.properties!.type as Json).enum = ['acknowledge_log_entry'];
    },
  },
];

/** GET /schedules/{id}/overrides declares only a 201 (a listing creates nothing; PagerDuty answers 200). */
const SUCCESS_STATUS_ALIASES: Record<string, Record<number, string>> = {
  'GET /schedules/{id}/overrides': { 200: '201' },
};

export class PagerDutyDescription {
  private readonly checks = new SchemaChecks();
  private readonly errorSchema: Json;

  /** `applyKnownDivergences: false` checks against the description exactly as published. */
  constructor(
    private readonly spec: { paths: Record<string, Record<string, Operation>>; components: Json },
    options: { applyKnownDivergences?: boolean } = {},
  ) {
    // (This document fails the inference checks in places we do not use, e.g. `minLength` beside no `type`.)
    const ajv = this.checks.ajv;
    // OpenAPI keywords that are annotations only: `oneOf` beside a `discriminator` still does the validating.
    for (const keyword of ['example', 'x-examples', 'discriminator']) ajv.addKeyword(keyword);
    addFormats(ajv);
    const components = structuredClone(spec.components);
    if (options.applyKnownDivergences ?? true) {
      for (const divergence of KNOWN_DIVERGENCES) divergence.patch(components);
    }
    // Its `#/components/...` references resolve inside one added document; `definitions` keeps ajv
    // from reading `components` (not a JSON Schema keyword) as part of a schema.
    // Not checked against the meta-schema: `components` holds schemas but is not one itself.
    ajv.addSchema(
      { $id: 'pd', definitions: { components: rebaseRefs(components, '#/definitions') } },
      undefined,
      undefined,
      false,
    );
    this.errorSchema = {
      $ref: 'pd#/definitions/components/responses/Conflict/content/application~1json/schema',
    };
  }

  /** The operation a concrete path belongs to: `/incidents/Q1/notes` → `/incidents/{id}/notes`. */
  operation(method: string, path: string): { template: string; operation: Operation } | undefined {
    const lower = method.toLowerCase();
    for (const [template, item] of Object.entries(this.spec.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      const operation = item[lower];
      if (pattern.test(path) && operation && typeof operation === 'object' && 'responses' in operation) {
        return { template, operation };
      }
    }
    return undefined;
  }

  /**
   * Problems with one answer: its status must be declared (an error status not declared for the
   * operation is checked against PagerDuty's one error shape) and its body must match.
   */
  checkResponse(method: string, path: string, status: number, body: unknown): string[] {
    const found = this.operation(method, path);
    if (!found) return [`${method} ${path}: no such operation in the description`];
    const key = `${method.toUpperCase()} ${found.template}`;
    const declared =
      String(status) in found.operation.responses ? String(status) : SUCCESS_STATUS_ALIASES[key]?.[status];
    if (!declared) {
      return status >= 400
        ? this.checks.problems(`${key} error`, this.errorSchema, body)
        : [`${key}: status ${status} is not declared`];
    }
    const response = this.resolve(found.operation.responses[declared]!);
    const schema = (response.content as Record<string, { schema?: Json }> | undefined)?.['application/json']
      ?.schema;
    if (!schema) return body === undefined ? [] : [`${key} ${status}: the description has no body for it`];
    return this.checks.problems(`${key} ${declared}`, rebaseRefs(schema, 'pd#/definitions'), body);
  }

  /** Problems with one request our client sent: method and path, headers, query parameters, body. */
  checkRequest(request: RecordedRequest): string[] {
    const found = this.operation(request.method, request.path);
    const label = `${request.method} ${request.path}`;
    if (!found) return [`${label}: no such operation in the description`];
    const problems: string[] = [];
    const parameters = (found.operation.parameters ?? []).map(
      (p) => this.resolve(p as Json | { $ref: string }) as unknown as Parameter,
    );
    for (const parameter of parameters.filter((p) => p.in === 'header')) {
      const value = request.headers[parameter.name.toLowerCase()];
      if (value === undefined) {
        if (parameter.required) problems.push(`${label}: required header ${parameter.name} is missing`);
        continue;
      }
      problems.push(...this.checkValue(`${label} header ${parameter.name}`, parameter.schema, value));
    }
    const query = new URLSearchParams(request.query);
    for (const name of new Set(query.keys())) {
      const parameter = parameters.find((p) => p.in === 'query' && p.name === name);
      if (!parameter) {
        problems.push(`${label}: query parameter ${name} is not declared`);
        continue;
      }
      for (const value of query.getAll(name)) {
        const schema =
          parameter.schema?.type === 'array' ? (parameter.schema.items as Json) : parameter.schema;
        problems.push(...this.checkValue(`${label} query ${name}`, schema, value));
      }
    }
    for (const parameter of parameters.filter((p) => p.in === 'query' && p.required)) {
      if (!query.has(parameter.name))
        problems.push(`${label}: required query parameter ${parameter.name} is missing`);
    }
    const bodySchema = found.operation.requestBody?.content?.['application/json']?.schema;
    if (bodySchema) {
      problems.push(
        ...this.checks.problems(`${label} body`, rebaseRefs(bodySchema, 'pd#/definitions'), request.body),
      );
    } else if (request.body !== undefined) {
      problems.push(`${label}: sends a body the operation does not take`);
    }
    return problems;
  }

  /** A header or query value is text on the wire: read it as the declared type before checking. */
  private checkValue(label: string, schema: Json | undefined, raw: string): string[] {
    if (!schema) return [];
    let value: unknown = raw;
    if (schema.type === 'integer' || schema.type === 'number')
      value = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    if (schema.type === 'boolean') value = raw === 'true' ? true : raw === 'false' ? false : raw;
    const { default: _default, ...checked } = schema;
    return this.checks.problems(label, rebaseRefs(checked, 'pd#/definitions'), value);
  }

  /** Follows a `#/components/...` reference of the description to its object. */
  private resolve(value: Json | { $ref: string }): Json {
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref !== 'string') return value as Json;
    let target: unknown = this.spec;
    for (const part of ref.slice(2).split('/')) {
      target = (target as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return this.resolve(target as Json);
  }
}

/** Reads the description, or null when this machine does not have it. */
export function loadPagerDutyDescription(
  options: { applyKnownDivergences?: boolean } = {},
): PagerDutyDescription | null {
  if (!existsSync(PAGERDUTY_SPEC_PATH)) return null;
  return new PagerDutyDescription(JSON.parse(readFileSync(PAGERDUTY_SPEC_PATH, 'utf8')), options);
}

/** The formats the description uses: checked where the format is a real constraint on our data. */
function addFormats(ajv: Ajv): void {
  const isUrl = (value: string) => URL.canParse(value);
  ajv.addFormat(
    'date-time',
    (value) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
      !Number.isNaN(Date.parse(value)),
  );
  ajv.addFormat('url', isUrl);
  ajv.addFormat('uri', isUrl);
  ajv.addFormat('email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
  // Names of formats we never send or receive in the operations under test.
  for (const name of ['uuid', 'time', 'partial-time', 'tzinfo', 'activesupport-time-zone'])
    ajv.addFormat(name, true);
  for (const name of ['float', 'double']) ajv.addFormat(name, { type: 'number', validate: () => true });
}
