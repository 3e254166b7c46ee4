/**
 * No token the action holds — plain, base64 or URL-encoded — reaches anything a person can read: the log
 * (except its own ::add-mask:: registrations), the step summary, the outputs, the journal files or the pull
 * request comments. Also, and above all, when a service refuses the token (401) or breaks (5xx): HTTP client
 * errors are where tokens usually leak (docs/design.md#secrets). The built action against the sandbox.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultSettings } from '../../src/sandbox/types.js';
import type { ActionRun } from './harness/runner.js';
import { applyOnPush, mergeHandover } from './harness/scenario.js';
import { useBuiltAction } from './harness/suite.js';
import { type ActionWorld, createActionWorld } from './harness/world.js';

let world: ActionWorld;
const bundle = useBuiltAction(() => world);

/**
 * The shapes a token takes in leaked text: as it is, URL-encoded, and base64-encoded at each of the three
 * byte alignments it can have inside a longer encoded value (an `Authorization: Basic` header encodes
 * `user:token`), trimmed of the characters its neighbours share.
 */
function secretForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret)]);
  for (let offset = 0; offset < 3; offset += 1)
    for (const encoding of ['base64', 'base64url'] as const) {
      const encoded = Buffer.from(`${'x'.repeat(offset)}${secret}`)
        .toString(encoding)
        .replace(/=+$/, '');
      forms.add(encoded.slice(offset === 0 ? 0 : 4, -4));
    }
  return [...forms];
}

/** Everything a person can read after the run, by where it is. */
function readableOutputs(w: ActionWorld, run: ActionRun, pulls: number[]): Record<string, string> {
  const journalDir = run.outputs.journal ?? '';
  const journals = journalDir
    ? readdirSync(journalDir).map((name) => readFileSync(join(journalDir, name), 'utf8'))
    : [];
  return {
    log: run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
    stderr: run.stderr,
    summary: run.summary,
    outputs: JSON.stringify(run.outputs),
    journals: journals.join('\n'),
    comments: pulls.flatMap((n) => w.sandbox.emulators.github.comments(n).map((c) => c.body)).join('\n'),
  };
}

function expectNoSecret(readable: Record<string, string>, secrets: string[]): void {
  const leaks: string[] = [];
  for (const secret of secrets)
    for (const form of secretForms(secret))
      for (const [where, text] of Object.entries(readable))
        if (text.includes(form)) leaks.push(`${where} holds ${JSON.stringify(form)}`);
  expect(leaks).toEqual([]);
}

describe('the secret forms checked', () => {
  it('find a token inside a Basic authorization header and in a query string', () => {
    const token = 'ghs_abc/def+ghi=jkl&mno';
    const forms = secretForms(token);
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    expect(forms.some((form) => basic.includes(form))).toBe(true);
    expect(forms.some((form) => `?token=${encodeURIComponent(token)}`.includes(form))).toBe(true);
  });
});

const SERVICES = ['pagerduty', 'slack', 'platform', 'github'] as const;
type Service = (typeof SERVICES)[number];

const TOKEN_INPUTS: Record<Service, string> = {
  pagerduty: 'pagerduty-token',
  slack: 'slack-bot-token',
  platform: 'platform-token',
  github: 'github-token',
};

/** Tokens with the characters URL-encoding changes, as real ones may have. */
const WRONG: Record<Service, string> = {
  pagerduty: 'u+pd/Revoked=Key&0123456789',
  slack: 'xoxb-revoked/slack+token=0123456789',
  platform: 'plat_revoked/key+with=chars&0123456789',
  github: 'ghs_revoked/github+token=0123456789',
};

const cases: Array<{
  name: string;
  /** Token inputs replaced by wrong ones (the service answers 401). */
  wrong: Array<Service>;
  faults?: FaultSettings;
  result: string;
}> = [
  {
    name: 'PagerDuty, Slack and the platform refuse the tokens (401)',
    wrong: ['pagerduty', 'slack', 'platform'],
    result: 'failure',
  },
  { name: 'GitHub refuses the token (401)', wrong: ['github'], result: 'failure' },
  {
    name: 'every service answers 5xx until the retries run out',
    wrong: [],
    // More than the attempts of the calls that go side by side: apply's one read per service before
    // its first write (src/preflight/reachability.ts) takes the first (a 5xx is an answer, so apply
    // goes on); then the permission reads go two at a time (Slack's auth.test and conversations.info,
    // PagerDuty's probe per From user), five attempts each, and at least one runs out.
    faults: {
      pagerduty: { serverErrorNext: 16 },
      slack: { serverErrorNext: 16 },
      platform: { serverErrorNext: 16 },
    },
    result: 'failure',
  },
  {
    // A proxy or a debugging endpoint that echoes the request's credentials back in its error, as sent,
    // base64, base64url and URL-encoded: our error reports carry the service's message, so every form
    // of the token reaches the text apply writes — and must be masked and redacted there.
    name: 'every service echoes the token back in its errors, plain and encoded',
    wrong: [],
    faults: {
      // As many as above, for the same reason.
      pagerduty: { echoCredentialsNext: 16 },
      slack: { echoCredentialsNext: 16 },
      platform: { echoCredentialsNext: 16 },
      github: { echoCredentialsNext: 2 },
    },
    result: 'failure',
  },
  { name: 'everything works', wrong: [], result: 'success' },
];

describe('no token reaches the log, the summary, the outputs, the journals or the pull request', () => {
  for (const { name, wrong, faults, result } of cases) {
    it(`when ${name}`, async () => {
      world = await createActionWorld(bundle());
      const before = world.repo.head();
      const h = mergeHandover(world, '2026-11-27-alice-to-bob');
      const inputs = Object.fromEntries(wrong.map((service) => [TOKEN_INPUTS[service], WRONG[service]]));
      if (faults) world.sandbox.faults.set(faults);

      const run = await applyOnPush(world, h.sha, before, { inputs });

      expect(run.outputs.result, run.stdout).toBe(result);
      const held = SERVICES.map((service) =>
        wrong.includes(service) ? WRONG[service] : world.sandbox.tokens[service],
      );
      // Every token the run held was registered for masking before anything else was printed.
      const masks = run.commands.filter((c) => c.name === 'add-mask').map((c) => c.data);
      for (const token of held) expect(masks).toContain(token);
      // … and so was each encoding it can leak in: the runner masks them wherever they appear.
      for (const token of held) {
        expect(masks).toContain(Buffer.from(token).toString('base64'));
        expect(masks).toContain(Buffer.from(token).toString('base64url'));
      }
      const readable = readableOutputs(world, run, [h.number]);
      // The echo did reach what a person reads (so redaction, not luck, kept the token out of it).
      if (faults && Object.values(faults).some((f) => f.echoCredentialsNext))
        expect(Object.values(readable).join('\n')).toContain('request credentials:');
      // The sandbox's real tokens are checked too: a wrong one must not bring the right one out either.
      expectNoSecret(readable, [...held, ...Object.values(world.sandbox.tokens)]);
    }, 60_000);
  }
});
