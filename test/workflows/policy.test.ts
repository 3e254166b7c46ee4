import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkoutViolations,
  dangerousTriggers,
  expressionsInRun,
  isRecord,
  jobs,
  loadWorkflows,
  parseWorkflow,
  permissionViolations,
  pinsWithoutVersionComment,
  secretViolations,
  steps,
  triggers,
  unpinnedActions,
  type Workflow,
} from './policy.js';

const WORKFLOWS = resolve(import.meta.dirname, '../../.github/workflows');
const workflows = loadWorkflows(WORKFLOWS);
const byFile = (file: string): Workflow => {
  const found = workflows.find((w) => w.file === file);
  if (!found) throw new Error(`${file} is missing from .github/workflows`);
  return found;
};

/** Write scopes by workflow and job: only where a comment on a pull request is written. */
const ALLOWED_WRITES: Record<string, Record<string, string[]>> = {
  'handover-pr.yml': { plan: ['pull-requests'] },
  'handover-apply.yml': { apply: ['pull-requests', 'statuses'] },
  // The scheduled prepare job writes a branch (git data API) and opens the pull request on it.
  'handover-prepare.yml': { prepare: ['contents', 'pull-requests'] },
  // The version pull request, then the tags and npm's OIDC token for provenance (test/workflows/release.test.ts).
  'release.yml': { version: ['contents', 'pull-requests'], publish: ['contents', 'id-token'] },
};

/** The secrets each job is designed to read: write tokens only in apply, read-only keys in plan. */
const ALLOWED_SECRETS: Record<string, Record<string, string[]>> = {
  'handover-pr.yml': { plan: ['HANDOVER_PLAN_PAGERDUTY_TOKEN', 'HANDOVER_PLAN_PLATFORM_TOKEN'] },
  'handover-apply.yml': {
    apply: ['PAGERDUTY_TOKEN', 'SLACK_BOT_TOKEN', 'PLATFORM_TOKEN', 'HANDOVER_LEDGER_KEY'],
  },
  'handover-prepare.yml': {
    prepare: ['HANDOVER_PREPARE_PAGERDUTY_TOKEN', 'SLACK_BOT_TOKEN', 'HANDOVER_PLAN_PLATFORM_TOKEN'],
  },
  // The workflow's own token only: npm trusted publishing needs no stored npm token.
  'release.yml': { version: ['GITHUB_TOKEN'], publish: ['GITHUB_TOKEN'] },
};

describe('every workflow', () => {
  it('is there: the pull request checks, the executor, CI, the release and the scheduled prepare', () => {
    expect(workflows.map((w) => w.file)).toEqual([
      'ci.yml',
      'handover-apply.yml',
      'handover-pr.yml',
      'handover-prepare.yml',
      'release.yml',
    ]);
  });

  for (const workflow of workflows) {
    describe(workflow.file, () => {
      it('never runs on pull_request_target or workflow_run', () => {
        expect(dangerousTriggers(workflow)).toEqual([]);
      });
      it('expands no expression inside a run: script', () => {
        expect(expressionsInRun(workflow)).toEqual([]);
      });
      it('is read-only at the top and writes only in allowlisted jobs', () => {
        expect(permissionViolations(workflow, ALLOWED_WRITES[workflow.file] ?? {})).toEqual([]);
        expect(workflow.doc.permissions).toEqual({ contents: 'read' });
      });
      it('pins every third-party action to a full commit SHA, with its version in a comment', () => {
        expect(unpinnedActions(workflow)).toEqual([]);
        const text = readFileSync(join(WORKFLOWS, workflow.file), 'utf8');
        expect(pinsWithoutVersionComment(text)).toEqual([]);
      });
      it('reads only the secrets designed for each job', () => {
        expect(secretViolations(workflow, ALLOWED_SECRETS[workflow.file] ?? {})).toEqual([]);
      });
      it('checks out without persisting credentials, before using the local action', () => {
        expect(checkoutViolations(workflow)).toEqual([]);
      });
    });
  }
});

describe('handover-pr.yml', () => {
  const workflow = byFile('handover-pr.yml');
  const on = workflow.doc.on as Record<string, Record<string, unknown>>;

  it('reports on every pull request (no paths filter: a required check must never wait forever), and re-checks on each review', () => {
    expect(triggers(workflow).sort()).toEqual(['pull_request', 'pull_request_review']);
    expect(on.pull_request ?? {}).not.toHaveProperty('paths');
    expect(on.pull_request ?? {}).not.toHaveProperty('paths-ignore');
    expect(on.pull_request_review ?? {}).not.toHaveProperty('paths');
    expect(on.pull_request_review?.types).toEqual(['submitted', 'dismissed']);
  });

  it('validates and plans with the local action as two independent required checks', () => {
    const commands = steps(workflow)
      .filter(({ step }) => step.uses === './')
      .map(({ job, step }) => [job, (step.with as Record<string, unknown>).command]);
    expect(commands).toEqual([
      ['validate', 'validate'],
      ['plan', 'plan'],
    ]);
    // A skipped check counts as passed on GitHub: neither job may wait on the other.
    for (const [, body] of jobs(workflow)) expect(body.needs).toBeUndefined();
  });

  it('keeps the write tokens out: no job runs in the environment that holds them', () => {
    for (const [, body] of jobs(workflow)) expect(body.environment).toBeUndefined();
  });
});

describe('handover-apply.yml', () => {
  const workflow = byFile('handover-apply.yml');
  const [, apply] = jobs(workflow).find(([name]) => name === 'apply') ?? [];

  it('runs on pushes to main that touch handovers/, and by hand for one named, confirmed manifest', () => {
    const on = workflow.doc.on as Record<string, Record<string, unknown>>;
    expect(on.push).toEqual({ branches: ['main'], paths: ['handovers/**'] });
    expect(Object.keys((on.workflow_dispatch?.inputs ?? {}) as object)).toEqual(['manifest', 'confirm']);
  });

  it('passes the ledger key from the environment to the apply step only', () => {
    const jobSteps = ((apply?.steps ?? []) as unknown[]).filter(isRecord);
    const run = jobSteps.find((s) => s.uses === './');
    expect(run?.env).toEqual({ HANDOVER_LEDGER_KEY: `\${{ secrets.HANDOVER_LEDGER_KEY }}` });
  });

  it('never runs two applies at once and never cancels one half-way', () => {
    expect(workflow.doc.concurrency).toEqual({ group: 'handover-apply', 'cancel-in-progress': false });
  });

  it('holds its secrets in a protected environment', () => {
    expect(apply?.environment).toBe('handover');
  });

  it('checks out the whole history, applies with the local action and keeps the journal as an artifact', () => {
    const jobSteps = ((apply?.steps ?? []) as unknown[]).filter(isRecord);
    const checkout = jobSteps.find((s) => String(s.uses).startsWith('actions/checkout@'));
    expect(checkout?.with).toMatchObject({ 'fetch-depth': 0 });
    const run = jobSteps.find((s) => s.uses === './');
    expect(run).toMatchObject({ id: 'apply', with: { command: 'apply' } });
    const upload = jobSteps.find((s) => String(s.uses).startsWith('actions/upload-artifact@'));
    expect(String(upload?.if)).toContain('always()');
    expect(upload?.with).toMatchObject({ path: `\${{ steps.apply.outputs.journal }}` });
  });
});

describe('ci.yml', () => {
  it('runs .ci/run, the one list of checks, and nothing of its own', () => {
    const runs = steps(byFile('ci.yml'))
      .map(({ step }) => step.run)
      .filter((r): r is string => typeof r === 'string');
    expect(runs).toEqual(['bash .ci/run']);
  });

  it('.ci/run installs, then runs every check a change must pass', () => {
    const script = readFileSync(resolve(import.meta.dirname, '../../.ci/run'), 'utf8');
    for (const command of [
      'npm ci',
      'npm run typecheck',
      'npm run lint',
      'npm run check-generated',
      'npm run check-dist',
      'npm run check-docs',
      'npm run check-cycles',
      'node bin/handover.js validate',
      'npm test',
    ])
      expect(script).toContain(command);
    // `npm ci` does not rebuild dist/, so a `git diff` of dist/ after it could never fail: check-dist is the check.
    expect(script).not.toContain('git diff');
  });
});

describe('the policy checks catch what they are for', () => {
  const bad = parseWorkflow(
    'bad.yml',
    `on:
  pull_request_target:
  workflow_run:
    workflows: [x]
env:
  LEAK: \${{ secrets.TOP }}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      pull-requests: write
    secrets: inherit
    steps:
      - uses: ./
      - uses: actions/checkout@v4
      - uses: actions/setup-node@main
      - run: echo "\${{ github.event.pull_request.title }}"
      - run: deploy
        env:
          TOKEN: \${{ secrets.DEPLOY_TOKEN }}
`,
  );

  it.each([
    ['dangerous triggers', () => dangerousTriggers(bad), 2],
    ['expressions in run', () => expressionsInRun(bad), 1],
    [
      'missing top-level permissions and job writes',
      () => permissionViolations(bad, { build: ['pull-requests'] }),
      2,
    ],
    ['tag- and branch-pinned actions', () => unpinnedActions(bad), 2],
    ['secrets outside the allowlist', () => secretViolations(bad, {}), 3],
    ['checkout persisting credentials, local action before checkout', () => checkoutViolations(bad), 2],
  ])('%s', (_name, check, count) => {
    expect(check()).toHaveLength(count);
  });

  it('a SHA pin without its version comment', () => {
    expect(
      pinsWithoutVersionComment('      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1\n'),
    ).toHaveLength(1);
  });

  it('reads the string and list forms of on:', () => {
    expect(triggers(parseWorkflow('a.yml', 'on: pull_request_target\njobs: {}'))).toEqual([
      'pull_request_target',
    ]);
    expect(triggers(parseWorkflow('b.yml', 'on: [push, workflow_run]\njobs: {}'))).toEqual([
      'push',
      'workflow_run',
    ]);
  });

  it('accepts a pinned action and a local one', () => {
    const good = parseWorkflow(
      'good.yml',
      `on: push
permissions:
  contents: read
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - uses: ./
`,
    );
    expect([
      ...unpinnedActions(good),
      ...checkoutViolations(good),
      ...permissionViolations(good, {}),
    ]).toEqual([]);
  });
});
