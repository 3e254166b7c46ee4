/**
 * The moves the apply tests repeat: merge an acknowledged handover, read back what the run left on the
 * pull request, and write comments as other people (or other automation) would.
 */
import { createHash } from 'node:crypto';
import type { GitHubState } from '../../../src/sandbox/github/model.js';
import { SEED_INCIDENTS } from '../../../src/sandbox/pagerduty.js';
import { SEED_IDS } from '../../../src/sandbox/roster.js';
import type { ActionRun } from './runner.js';
import { type ActionWorld, ALICE, BOB, DANA, manifestPath, manifestYaml } from './world.js';

export interface MergedHandover {
  id: string;
  number: number;
  path: string;
  sha: string;
  /** SHA-256 of the manifest's bytes as merged (what the journal and its record carry). */
  sha256: string;
}

/** `apply` as the apply workflow runs it: on a push to main that moved it from `before` to `after`. */
export function applyOnPush(
  w: ActionWorld,
  after: string,
  before: string,
  extra: { inputs?: Record<string, string>; env?: Record<string, string> } = {},
): Promise<ActionRun> {
  return w.run({ command: 'apply', eventName: 'push', event: w.pushEvent(after, before), ...extra });
}

/** A handover pull request opened by the outgoing admin, approved by the incoming one on its final commit, merged. */
export function mergeHandover(
  w: ActionWorld,
  id: string,
  options: { outgoing?: 'alice' | 'bob'; incoming?: 'alice' | 'bob' | 'dana'; startsInHours?: number } = {},
): MergedHandover {
  const path = manifestPath(id);
  const logins = { alice: ALICE.github, bob: BOB.github, dana: DANA.github };
  const author = logins[options.outgoing ?? 'alice'];
  const approver = logins[options.incoming ?? 'bob'];
  const number = w.openPullRequest({ author, files: [{ filename: path, status: 'added' }] });
  w.approve(number, approver);
  const content = manifestYaml({ id, ...options });
  const sha = w.merge(number, { [path]: content });
  return { id, number, path, sha, sha256: createHash('sha256').update(content).digest('hex') };
}

export function marker(path: string): string {
  return `<!-- handover:journal ${path} -->`;
}

/** Every comment on the pull request that carries the manifest's journal marker, oldest first. */
export function markedComments(w: ActionWorld, number: number, path: string) {
  return w.sandbox.emulators.github.comments(number).filter((c) => c.body.includes(marker(path)));
}

/** A comment that looks exactly like a journal record the action writes. */
export function journalCommentBody(record: {
  manifest: string;
  outcome: string;
  pullRequest: number;
  manifestSha256: string | null;
  id?: string;
}): string {
  const data = {
    v: 1,
    manifest: record.manifest,
    id: record.id ?? null,
    outcome: record.outcome,
    manifestSha256: record.manifestSha256,
    pullRequest: record.pullRequest,
    runUrl: 'https://github.example/novavms/oncall/actions/runs/1',
    at: '2026-11-27T10:00:00.000Z',
  };
  return `${marker(record.manifest)}\n### Handover: ✅ done\n\n<!-- handover:journal-record ${JSON.stringify(data)} -->\n`;
}

/** Notes the outgoing admin's status paragraphs became, per incident of the seed world. */
export function notesPerIncident(w: ActionWorld): number[] {
  const { pagerduty } = w.sandbox.emulators;
  return [SEED_INCIDENTS.euApiLatency, SEED_INCIDENTS.buildRunnerDisk, SEED_INCIDENTS.adminCertificate].map(
    (id) => pagerduty.notes(id).length,
  );
}

/** The channel summaries ("On-call: @a → @b …") posted so far. */
export function channelSummaries(w: ActionWorld): string[] {
  return w.sandbox.emulators.slack
    .messages(SEED_IDS.slackChannel)
    .filter((m) => m.text.startsWith('On-call:'))
    .map((m) => m.text);
}

export function overrides(w: ActionWorld): number {
  return w.sandbox.emulators.pagerduty.overrides(SEED_IDS.pagerdutyScheduleId).length;
}

/**
 * What a repository writer can do to comments (edit or delete anyone's, keeping the author): rewrites the
 * sandbox's stored comments on the pull request. `change` returns the new body, or null to delete it.
 */
export function tamperWithComments(
  w: ActionWorld,
  number: number,
  change: (body: string) => string | null,
): void {
  const state = w.sandbox.emulators.github.snapshot() as GitHubState;
  for (const repo of state.repos) {
    repo.comments = repo.comments.flatMap((c) => {
      if (c.issueNumber !== number) return [c];
      const body = change(c.body);
      return body === null ? [] : [{ ...c, body }];
    });
  }
  w.sandbox.emulators.github.restore(state);
}

/** The deliberate manual run: workflow_dispatch of the apply workflow on main, naming one manifest. */
export function applyByHand(
  w: ActionWorld,
  inputs: { manifest: string; confirm: string },
  actor = 'dana',
): Promise<ActionRun> {
  return w.run({
    command: 'apply',
    eventName: 'workflow_dispatch',
    event: {
      inputs,
      ref: 'refs/heads/main',
      repository: { default_branch: 'main', full_name: 'novavms/oncall' },
      sender: { login: actor, type: 'User' },
    },
    env: { GITHUB_ACTOR: actor },
  });
}
