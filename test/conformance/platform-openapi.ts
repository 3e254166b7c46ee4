import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

/** schemas/platform-api.openapi.yaml, parsed, with ajv validators for its schemas (JSON Schema 2020-12). */
export const OPENAPI_FILE = fileURLToPath(
  new URL('../../schemas/platform-api.openapi.yaml', import.meta.url),
);

type Json = Record<string, unknown>;

interface Operation {
  parameters?: Json[];
  requestBody?: { content: { 'application/json': { schema: Json } } };
  responses: Record<string, Json>;
}

export interface PlatformOpenApi {
  doc: Json;
  /** `/tickets/{id}` → its operations by lower-case method. */
  paths: Record<string, Record<string, Operation>>;
  /** The template a concrete path belongs to: `/tickets/SUP-1/links` → `/tickets/{id}/links`. */
  templateOf(path: string): string | undefined;
  /** Problems with an answer (empty when it conforms). */
  checkResponse(method: string, path: string, status: number, headers: Headers, body: unknown): string[];
  /** Problems with a request body (empty when it conforms). */
  checkRequestBody(method: string, path: string, body: unknown): string[];
  /** A validator for one schema of components/schemas. */
  schema(name: string): ValidateFunction;
}

// RFC 3339 date-time, written here independently of the emulator's own check.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function loadPlatformOpenApi(): PlatformOpenApi {
  const doc = parse(readFileSync(OPENAPI_FILE, 'utf8')) as Json;
  const components = doc.components as Json;
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)),
  });
  ajv.addFormat('uri', { type: 'string', validate: (s: string) => URL.canParse(s) });
  // OpenAPI refers to `#/components/schemas/X`; as a standalone JSON Schema resource they are `#/$defs/X`.
  const defs = JSON.parse(
    JSON.stringify(components.schemas).replaceAll('#/components/schemas/', 'platform-api#/$defs/'),
  ) as Json;
  ajv.addSchema({ $id: 'platform-api', $defs: defs });
  const validators = new Map<string, ValidateFunction>();
  const compile = (schema: Json): ValidateFunction => {
    const key = JSON.stringify(schema);
    let validate = validators.get(key);
    if (!validate) {
      const rewritten = JSON.parse(key.replaceAll('#/components/schemas/', 'platform-api#/$defs/')) as Json;
      validate = ajv.compile(rewritten);
      validators.set(key, validate);
    }
    return validate;
  };
  const resolve = (object: Json): Json => {
    const ref = object.$ref;
    if (typeof ref !== 'string') return object;
    const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
    return ((components[section!] as Json)[name!] as Json) ?? {};
  };
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  const templates = Object.keys(paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const templateOf = (path: string) => templates.find((t) => t.pattern.test(path))?.template;
  const errors = (validate: ValidateFunction, value: unknown, what: string): string[] =>
    validate(value) ? [] : (validate.errors ?? []).map((e) => `${what}${e.instancePath} ${e.message}`);

  return {
    doc,
    paths,
    templateOf,
    schema: (name) => compile({ $ref: `#/components/schemas/${name}` }),
    checkResponse(method, path, status, headers, body) {
      const template = templateOf(path);
      const operation = template ? paths[template]?.[method.toLowerCase()] : undefined;
      if (!operation) {
        // Unknown paths and methods still answer with the documented error body.
        if (status !== 404 && status !== 405) return [`${method} ${path} is not in the contract`];
        return errors(compile({ $ref: '#/components/schemas/Error' }), body, 'body');
      }
      const documented = operation.responses[String(status)];
      if (!documented) return [`${method} ${template} does not document status ${status}`];
      const response = resolve(documented);
      const problems: string[] = [];
      for (const name of Object.keys((response.headers as Json | undefined) ?? {})) {
        if (!headers.has(name)) problems.push(`header ${name} is missing`);
      }
      const content = response.content as { 'application/json': { schema: Json } } | undefined;
      if (!content) return problems;
      return [...problems, ...errors(compile(content['application/json'].schema), body, 'body')];
    },
    checkRequestBody(method, path, body) {
      const template = templateOf(path);
      const operation = template ? paths[template]?.[method.toLowerCase()] : undefined;
      if (!operation) return [`${method} ${path} is not in the contract`];
      if (!operation.requestBody) return body === undefined ? [] : [`${method} ${template} takes no body`];
      return errors(compile(operation.requestBody.content['application/json'].schema), body, 'request');
    },
  };
}
