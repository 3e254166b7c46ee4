import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { FULL_BOT_SCOPES } from '../../src/sandbox/slack.js';
import { slackProvider } from '../sandbox/slack-github-helpers.js';
import { requestsTo, startClockedSandbox } from '../support/sandbox.js';
import { rebaseRefs, SchemaChecks } from './schema-checks.js';

/**
 * Slack's published Web API description (Swagger 2.0, slackapi/slack-api-specs, 2020). It lives
 * outside the project (../shared/specs, or $HANDOVER_SPECS_DIR); a clone without it skips this file.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SPEC_PATH = join(
  process.env.HANDOVER_SPECS_DIR ?? join(ROOT, '../shared/specs'),
  'slack-web-openapi-v2.json',
);

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  type?: string;
}
interface SlackSpec {
  definitions: Json;
  paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; responses: Record<string, { schema: Json }> }>
  >;
}

const spec: SlackSpec | null = existsSync(SPEC_PATH) ? JSON.parse(readFileSync(SPEC_PATH, 'utf8')) : null;

/**
 * Where the 2020 description is older than the API or contradicts itself. Each is applied to our copy
 * before validating, and says why.
 */
const KNOWN_DIVERGENCES: { why: string; patch: (definitions: Json) => void }[] = [
  {
    why: 'message metadata (chat.postMessage `metadata`, returned with include_all_metadata) was added to the API in 2022',
    patch: (d) => {
      ((d.objs_message as Json).properties as Json).metadata = {
        type: 'object',
        properties: { event_type: { type: 'string' }, event_payload: { type: 'object' } },
        required: ['event_type', 'event_payload'],
        additionalProperties: false,
      };
    },
  },
  {
    why: 'an edited message carries `edited: {user, ts}`, missing from the Message object',
    patch: (d) => {
      ((d.objs_message as Json).properties as Json).edited = {
        type: 'object',
        properties: { user: { $ref: '#/definitions/defs_user_id' }, ts: { $ref: '#/definitions/defs_ts' } },
        required: ['user', 'ts'],
        additionalProperties: false,
      };
    },
  },
];

/** Parameters the API took on after 2020, per method. */
const NEWER_PARAMETERS: Record<string, string[]> = {
  'chat.postMessage': ['metadata'],
  'conversations.history': ['include_all_metadata'],
  'conversations.replies': ['include_all_metadata'],
};

/** Rewrites local references (`#/definitions/...`) to the added document `slack`. */
function rebase<T>(value: T): T {
  return rebaseRefs(value, 'slack#');
}

class SlackDescription {
  private readonly checks = new SchemaChecks();

  constructor(private readonly description: SlackSpec) {
    // (This document's draft-4 habits, tuple `items` on objects and `type` lists, fail the inference checks.)
    const ajv = this.checks.ajv;
    ajv.addFormat('uri', (value) => URL.canParse(value));
    ajv.addFormat('email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
    const definitions = structuredClone(description.definitions);
    for (const divergence of KNOWN_DIVERGENCES) divergence.patch(definitions);
    ajv.addSchema({ $id: 'slack', definitions: rebase(definitions) });
  }

  private operation(method: string) {
    const item = this.description.paths[`/${method}`];
    const operation = item?.post ?? item?.get;
    if (!operation) throw new Error(`${method} is not in the description`);
    return operation;
  }

  /**
   * The schema an answer must match. Three success schemas list alternatives as a tuple `items` on an
   * object (which JSON Schema ignores, so anything would pass): we check the alternative that applies.
   */
  private responseSchema(method: string, ok: boolean): Json {
    const schema = this.operation(method).responses[ok ? '200' : 'default']!.schema;
    if (!ok) return schema;
    if (method === 'reactions.get') return (schema.items as Json[])[0]!; // the `type: message` variant
    if (method === 'users.lookupByEmail') {
      const user = (this.description.definitions.objs_user as { items: Json[] }).items[0]!; // non-enterprise
      return { ...schema, properties: { ...(schema.properties as Json), user } };
    }
    if (method === 'conversations.replies') {
      // Its messages are a tuple inside `items`; each one is a Message object.
      return {
        ...schema,
        properties: {
          ...(schema.properties as Json),
          messages: { type: 'array', items: { $ref: '#/definitions/objs_message' } },
          response_metadata: { $ref: '#/definitions/objs_response_metadata' },
        },
      };
    }
    if (method === 'conversations.history') {
      // Its own example carries response_metadata; the schema forgot it.
      return {
        ...schema,
        properties: {
          ...(schema.properties as Json),
          response_metadata: {
            type: 'object',
            properties: { next_cursor: { type: 'string' } },
            required: ['next_cursor'],
          },
        },
      };
    }
    return schema;
  }

  checkAnswer(method: string, body: Json): string[] {
    return this.checks.problems(method, rebase(this.responseSchema(method, body.ok === true)), body);
  }

  /** Every argument we send is one the method declares, with a value of the declared type. */
  checkRequest(method: string, args: Json): string[] {
    const declared = this.operation(method).parameters ?? [];
    const problems: string[] = [];
    for (const [name, value] of Object.entries(args)) {
      if (NEWER_PARAMETERS[method]?.includes(name)) continue;
      const parameter = declared.find((p) => p.name === name && p.in !== 'header');
      if (!parameter) {
        problems.push(`${method}: sends ${name}, which it does not declare`);
        continue;
      }
      const text = String(value);
      const fits =
        parameter.type === 'boolean'
          ? /^(true|false|0|1)$/.test(text)
          : parameter.type === 'number' || parameter.type === 'integer'
            ? Number.isFinite(Number(text))
            : true;
      if (!fits) problems.push(`${method}: ${name}=${text} is not a ${parameter.type}`);
    }
    return problems;
  }
}

const description = spec ? new SlackDescription(spec) : null;
const title = description
  ? 'the Slack emulator and provider conform to Slack’s published Web API description'
  : `Slack Web API conformance (skipped: ${SPEC_PATH} not found; set HANDOVER_SPECS_DIR)`;

const CHANNEL = SEED_IDS.slackChannel;

describe.skipIf(!description)(title, () => {
  const slackSpec = description as SlackDescription;
  let sandbox: Sandbox;
  /** Every answer the sandbox gave, as it came over the wire (the client adds fields of its own). */
  const answers: { method: string; body: Json }[] = [];

  beforeAll(async () => {
    ({ sandbox } = await startClockedSandbox());
    const capturingFetch = async (input: string | URL | Request, init?: RequestInit) => {
      const response = await fetch(input, init);
      const method = String(input).split('/').pop()!;
      answers.push({ method, body: (await response.clone().json()) as Json });
      return response;
    };
    const client = (token = sandbox.tokens.slack) =>
      new WebClient(token, {
        slackApiUrl: sandbox.env().SLACK_API_URL!,
        retryConfig: { retries: 0 },
        fetch: capturingFetch as never,
      });
    const raw = client();
    const { slack } = slackProvider(sandbox);

    // The provider's traffic, for its requests.
    const summary = await slack.postMessage({
      channel: CHANNEL,
      text: 'On-call: @alice → @bob',
      metadata: { eventType: 'handover_summary', eventPayload: { id: 'x' } },
    });
    await slack.postMessage({ channel: CHANNEL, text: 'details', threadTs: summary.ts });
    await slack.history(CHANNEL, '0');
    await slack.replies(CHANNEL, summary.ts);
    await slack.reactions(CHANNEL, summary.ts);

    // The same calls and a few more through a capturing client, for the answers.
    const posted = await raw.chat.postMessage({
      channel: CHANNEL,
      text: 'hello',
      metadata: { event_type: 'handover_summary', event_payload: { id: 'y' } },
    });
    await raw.chat.postMessage({ channel: CHANNEL, text: 'reply', thread_ts: posted.ts! });
    await raw.chat.update({ channel: CHANNEL, ts: posted.ts!, text: 'hello, edited' });
    await raw.reactions.add({ channel: CHANNEL, timestamp: posted.ts!, name: '+1' });
    await raw.reactions.get({ channel: CHANNEL, timestamp: posted.ts!, full: true });
    await raw.conversations.history({ channel: CHANNEL, include_all_metadata: true, limit: 2 });
    await raw.conversations.replies({ channel: CHANNEL, ts: posted.ts!, limit: 1 });
    await raw.auth.test();
    await raw.users.lookupByEmail({ email: SEED_ADMINS.alice.email });
    const failing: Promise<unknown>[] = [
      raw.chat.postMessage({ channel: 'C0NOSUCHCHAN', text: 'x' }),
      raw.conversations.replies({ channel: CHANNEL, ts: '1700000000.000001' }),
      raw.reactions.get({ channel: CHANNEL, timestamp: '1700000000.000001' }),
      raw.users.lookupByEmail({ email: 'nobody@novavms.example' }),
      client('xoxb-wrong').auth.test(),
    ];
    await Promise.allSettled(failing);
  });
  afterAll(() => sandbox.close());

  it.each([
    'chat.postMessage',
    'chat.update',
    'conversations.history',
    'conversations.replies',
    'reactions.get',
    'reactions.add',
    'auth.test',
    'users.lookupByEmail',
  ])('%s answers match the description, successes and errors', (method) => {
    const mine = answers.filter((a) => a.method === method);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.flatMap((a) => slackSpec.checkAnswer(method, a.body))).toEqual([]);
  });

  it('errors are among the codes each method declares', () => {
    const errors = answers.filter((a) => a.body.ok === false).map((a) => `${a.method} ${a.body.error}`);
    expect(errors.sort()).toEqual([
      'auth.test invalid_auth',
      'chat.postMessage channel_not_found',
      'conversations.replies thread_not_found',
      'reactions.get message_not_found',
      'users.lookupByEmail users_not_found',
    ]);
  });

  it('the provider sends only arguments each method declares, with values of the declared types', () => {
    const requests = requestsTo(sandbox, 'slack').slice(0, 6);
    expect(requests.map((r) => r.path)).toEqual([
      '/chat.postMessage',
      '/chat.postMessage',
      '/conversations.history',
      '/conversations.replies',
      '/reactions.get',
      '/chat.postMessage',
    ]);
    const problems = requests
      .slice(0, 5)
      .flatMap((r) => slackSpec.checkRequest(r.path.slice(1), (r.body ?? {}) as Json));
    expect(problems).toEqual([]);
  });

  /**
   * Slack's refusals of an app that lacks a scope or was not invited. The description covers
   * `missing_scope` with `needed`/`provided` for the conversations.* reads, and `not_in_channel` for
   * chat.postMessage: those answers are checked against it. It does not cover `missing_scope` on
   * chat.postMessage (its error object declares neither the code nor `needed`/`provided`, and allows no
   * other field), `not_in_channel` on conversations.history, nor `internal_error` sent with HTTP 200 (no
   * method lists it): Slack sends all three (its per-method documentation and `@slack/web-api`'s generated
   * response types list them), so they are checked in test/refusals/slack-emulator.test.ts instead, and the
   * first gap is pinned below so that a newer description that closes it is noticed.
   */
  it('refusals: missing_scope with needed/provided, and not_in_channel, as the description declares them', async () => {
    const { sandbox: fresh } = await startClockedSandbox();
    try {
      const refusals: { method: string; body: Json }[] = [];
      const client = new WebClient(fresh.tokens.slack, {
        slackApiUrl: fresh.env().SLACK_API_URL!,
        retryConfig: { retries: 0 },
        fetch: (async (input: string | URL | Request, init?: RequestInit) => {
          const response = await fetch(input, init);
          refusals.push({
            method: String(input).split('/').pop()!,
            body: (await response.clone().json()) as Json,
          });
          return response;
        }) as never,
      });
      const slack = fresh.emulators.slack;
      slack.freshInstall(['chat:write', 'channels:read']);
      await Promise.allSettled([
        client.conversations.history({ channel: CHANNEL }),
        client.conversations.replies({ channel: CHANNEL, ts: '1700000000.000100' }),
      ]);
      slack.setBotScopes(FULL_BOT_SCOPES);
      slack.setBotMembership(CHANNEL, false);
      await Promise.allSettled([client.chat.postMessage({ channel: CHANNEL, text: 'x' })]);

      expect(refusals.map((r) => `${r.method} ${r.body.error}`)).toEqual([
        'conversations.history missing_scope',
        'conversations.replies missing_scope',
        'chat.postMessage not_in_channel',
      ]);
      expect(refusals[0]!.body).toMatchObject({
        needed: 'channels:history',
        provided: 'chat:write,channels:read',
      });
      expect(refusals.flatMap((r) => slackSpec.checkAnswer(r.method, r.body))).toEqual([]);

      // Not covered: chat.postMessage's missing_scope (with needed/provided) is outside its declared errors.
      slack.setBotScopes(['channels:read']);
      await Promise.allSettled([client.chat.postMessage({ channel: CHANNEL, text: 'x' })]);
      const postRefusal = refusals.at(-1)!;
      expect(postRefusal.body).toMatchObject({ ok: false, error: 'missing_scope', needed: 'chat:write' });
      expect(slackSpec.checkAnswer('chat.postMessage', postRefusal.body)).not.toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('a check that would pass anything is not a check: a wrong answer is caught', () => {
    expect(slackSpec.checkAnswer('chat.postMessage', { ok: true, channel: CHANNEL, ts: 'soon' })).not.toEqual(
      [],
    );
    expect(slackSpec.checkRequest('chat.postMessage', { unfurl_link: 'false' })).not.toEqual([]);
  });
});
