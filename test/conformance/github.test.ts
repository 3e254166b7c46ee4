import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_ADMINS } from '../../src/sandbox/roster.js';
import type { RecordedRequest } from '../../src/sandbox/types.js';
import { githubProvider } from '../sandbox/slack-github-helpers.js';
import { requestsTo, startClockedSandbox } from '../support/sandbox.js';
import { rebaseRefs, SchemaChecks } from './schema-checks.js';

/**
 * GitHub's REST description from the dev dependency @octokit/openapi. Only this one generated file is
 * read (importing the package would load every variant, ~400 MB); it is read once for this file.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SPEC_PATH = join(ROOT, 'node_modules/@octokit/openapi/generated/api.github.com.json');

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

class GitHubDescription {
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

const description = existsSync(SPEC_PATH)
  ? new GitHubDescription(JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as GitHubSpec)
  : null;
const title = description
  ? 'the GitHub emulator and provider conform to GitHub’s published REST description'
  : `GitHub REST conformance (skipped: ${SPEC_PATH} not found; run npm ci)`;

const owner = 'novavms';
const repo = 'oncall';

describe.skipIf(!description)(title, () => {
  const gh = description as GitHubDescription;
  let sandbox: Sandbox;
  const answers: { method: string; path: string; status: number; body: unknown }[] = [];

  beforeAll(async () => {
    ({ sandbox } = await startClockedSandbox());
    const capturingFetch = async (input: string | URL | Request, init?: RequestInit) => {
      const response = await fetch(input, init);
      const url = new URL(String(input));
      const text = await response.clone().text();
      answers.push({
        method: (init?.method ?? 'GET').toUpperCase(),
        path: url.pathname.slice(new URL(sandbox.urls.github).pathname.length),
        status: response.status,
        body: text ? JSON.parse(text) : undefined,
      });
      return response;
    };
    const octokit = (token = sandbox.tokens.github) =>
      new Octokit({
        auth: token,
        baseUrl: sandbox.urls.github,
        request: { fetch: capturingFetch },
        log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      });
    const emulator = sandbox.emulators.github;
    const { github } = githubProvider(sandbox);

    // The provider's traffic (for its requests), with a history that exercises every field.
    emulator.addReview(1, { user: SEED_ADMINS.bob.github, state: 'APPROVED' });
    emulator.addReview(1, { user: SEED_ADMINS.dana.github, state: 'PENDING' });
    await github.getPullRequest(1);
    await github.listPullFiles(1);
    await github.listReviews(1);
    await github.upsertMarkedComment(1, '<!-- m -->', '<!-- m -->\nfirst');
    await github.upsertMarkedComment(1, '<!-- m -->', '<!-- m -->\nsecond');
    await github.getIssue(owner, 'platform', 812);
    const mergeSha = emulator.merge(1);
    await github.pullRequestsForCommit(mergeSha);

    // The same calls and their errors through a capturing client, for the answers.
    const client = octokit();
    const { number } = emulator.createPullRequest({
      author: SEED_ADMINS.alice.github,
      title: 'rename',
      files: [{ filename: 'handovers/2026/b.yaml', status: 'renamed', previousFilename: 'handovers/b.yaml' }],
    });
    await client.repos.get({ owner, repo });
    await client.pulls.get({ owner, repo, pull_number: 1 });
    await client.pulls.get({ owner, repo, pull_number: number });
    await client.pulls.listFiles({ owner, repo, pull_number: number });
    await client.pulls.listReviews({ owner, repo, pull_number: 1 });
    await client.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: mergeSha });
    await client.issues.get({ owner, repo: 'platform', issue_number: 812 });
    await client.issues.get({ owner, repo, issue_number: 1 });
    const { data: comment } = await client.issues.createComment({
      owner,
      repo,
      issue_number: number,
      body: 'hi',
    });
    await client.issues.updateComment({ owner, repo, comment_id: comment.id, body: 'hi again' });
    await client.issues.listComments({ owner, repo, issue_number: number });
    const failing: Promise<unknown>[] = [
      client.pulls.get({ owner, repo, pull_number: 999 }),
      client.issues.createComment({ owner, repo, issue_number: number, body: 'x'.repeat(70_000) }),
      client.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: 'f'.repeat(40) }),
      octokit('ghp_wrong').repos.get({ owner, repo }),
    ];
    await Promise.allSettled(failing);
    sandbox.faults.set({ github: { rateLimitNext: 1, serverErrorNext: 1 } });
    await Promise.allSettled([client.repos.get({ owner, repo })]);
    await Promise.allSettled([client.repos.get({ owner, repo })]);
  });
  afterAll(() => sandbox.close());

  it.each([
    ['GET', '/repos/novavms/oncall'],
    ['GET', '/repos/novavms/oncall/pulls/1'],
    ['GET', '/repos/novavms/oncall/pulls/2/files'],
    ['GET', '/repos/novavms/oncall/pulls/1/reviews'],
    ['GET', '/repos/novavms/oncall/commits/{sha}/pulls'],
    ['GET', '/repos/novavms/platform/issues/812'],
    ['GET', '/repos/novavms/oncall/issues/1'],
    ['POST', '/repos/novavms/oncall/issues/2/comments'],
    ['PATCH', '/repos/novavms/oncall/issues/comments/{id}'],
    ['GET', '/repos/novavms/oncall/issues/2/comments'],
    ['GET', '/repos/novavms/oncall/pulls/999'],
  ])('%s %s answers match the description', (method, pattern) => {
    const matcher = new RegExp(`^${pattern.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const mine = answers.filter((a) => a.method === method && matcher.test(a.path));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.flatMap((a) => gh.checkAnswer(a.method, a.path, a.status, a.body))).toEqual([]);
  });

  it('errors, rate limits and outages have GitHub’s error shape', () => {
    const errors = answers.filter((a) => a.status >= 400);
    expect(errors.map((a) => a.status).sort()).toEqual([401, 404, 422, 422, 429, 502]);
    expect(errors.flatMap((a) => gh.checkAnswer(a.method, a.path, a.status, a.body))).toEqual([]);
  });

  it('the provider sends only declared operations, parameters and bodies', () => {
    const requests = requestsTo(sandbox, 'github').filter((r) =>
      r.headers['user-agent']?.startsWith('handover'),
    );
    expect(new Set(requests.map((r) => r.method))).toEqual(new Set(['GET', 'POST', 'PATCH']));
    expect(requests.flatMap((r) => gh.checkRequest(r))).toEqual([]);
  });

  it('a check that would pass anything is not a check: a wrong answer is caught', () => {
    expect(gh.checkAnswer('GET', '/repos/o/r/pulls/1', 200, { number: '1' })).not.toEqual([]);
    expect(
      gh.checkAnswer('GET', '/repos/o/r/pulls/1/reviews', 200, [{ id: 1, state: 'APPROVED' }]),
    ).not.toEqual([]);
  });
});
