/**
 * The world an action run sees: the sandbox (real HTTP emulators on 127.0.0.1) standing in for PagerDuty,
 * Slack, GitHub and the platform API; a real git repository standing in for the checkout; and the humans'
 * moves — open a pull request, approve, merge — made with the sandbox's GitHub controls, with each merge
 * landing as a real commit on the repository's main branch.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitHubState } from '../../../src/sandbox/github/model.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import { SEED_INCIDENTS } from '../../../src/sandbox/pagerduty.js';
import { PLATFORM_SEED } from '../../../src/sandbox/platform.js';
import { SEED_ADMINS, SEED_IDS } from '../../../src/sandbox/roster.js';
import { TestRepo } from './repo.js';
import { type ActionRun, runAction } from './runner.js';

export const ALICE = SEED_ADMINS.alice;
export const BOB = SEED_ADMINS.bob;
export const DANA = SEED_ADMINS.dana;
export const REPOSITORY = `${SEED_IDS.githubOwner}/${SEED_IDS.githubRepo}`;

/** The ledger key the `handover` environment holds in these tests (docs/adoption.md, "The ledger"). */
export const LEDGER_KEY = 'sandbox-ledger-key-0123456789abcdef0123456789abcdef';

const HOUR = 3600_000;

function iso(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export interface ManifestOptions {
  id: string;
  outgoing?: 'alice' | 'bob' | 'dana';
  incoming?: 'alice' | 'bob' | 'dana';
  /** Hours from now to the window's start (the window lasts two hours). */
  startsInHours?: number;
  /** Text put in the first incident's hypothesis as it is (YAML double-quoted, so any character fits). */
  hypothesis?: string;
  /** A mid-shift-outage handover waiting for this outage incident (the outgoing admin leads). */
  outage?: string;
}

/**
 * A planned handover of the whole seed world (alice's three open incidents, her three pinned tickets,
 * both rollouts in flight), so that apply's final check finds nothing stranded.
 */
export function manifestYaml(options: ManifestOptions): string {
  const outgoing = options.outgoing ?? 'alice';
  const incoming = options.incoming ?? 'bob';
  const start = new Date(Math.ceil(Date.now() / HOUR) * HOUR + (options.startsInHours ?? 1) * HOUR);
  const end = new Date(start.getTime() + 2 * HOUR);
  const hypothesis = JSON.stringify(
    options.hypothesis ?? 'Connection pool exhaustion on the eu-west read replicas.',
  );
  // The session on the active ticket is alice's: only her handover ends it.
  const session =
    outgoing === 'alice' ? `\n    impersonationSession: ${PLATFORM_SEED.sessionOnActiveTicket}` : '';
  return `# yaml-language-server: $schema=../../schemas/handover.schema.json
apiVersion: handover/v1
kind: Handover
id: ${options.id}
variant: ${options.outage ? 'mid-shift-outage' : 'planned'}
reason: rotation
outgoing: ${outgoing}
incoming: ${incoming}${options.outage ? `\noutage:\n  incident: ${options.outage}\n  lead: ${outgoing}` : ''}
window:
  start: ${iso(start)}
  end: ${iso(end)}
incidents:
  - id: ${SEED_INCIDENTS.euApiLatency}
    title: EU API p99 latency above 2s
    status:
      hypothesis: ${hypothesis}
      lastAction: Raised pool size from 50 to 80 on replica 2 at 15:40 UTC.
      nextAction: Watch p99 for 30 minutes; if still high, fail over to replica 3.
  - id: ${SEED_INCIDENTS.buildRunnerDisk}
    status:
      hypothesis: Build cache eviction stopped after the runner image update.
      lastAction: Cleared the cache volume on runner 7 by hand.
      nextAction: Roll the previous runner image back if the disk fills again.
  - id: ${SEED_INCIDENTS.adminCertificate}
    status:
      hypothesis: The admin console certificate renewal job lost its DNS credentials.
      lastAction: Renewed the certificate manually, valid for another 30 days.
      nextAction: Restore the DNS credentials of the renewal job this week.
tickets:
  - id: ${PLATFORM_SEED.ticketWaitingOnCustomer}
    disposition: waiting_on_customer
  - id: ${PLATFORM_SEED.ticketWaitingOnEngineering}
    disposition: waiting_on_engineering
    engineeringIssue: novavms/platform#812
  - id: ${PLATFORM_SEED.ticketActive}
    disposition: active${session}
rollouts:
  - flag: ${PLATFORM_SEED.rolloutRamping}
    state: ramping
    rampPercent: 25
    lastErrorRatePercent: 0.42
    nextStep: Ramp to 50% tomorrow if the error rate stays under 0.5%.
  - flag: ${PLATFORM_SEED.rolloutPaused}
    state: paused
    rampPercent: 10
    lastErrorRatePercent: 1.8
    nextStep: Stay paused until the replica lag alert is fixed.
`;
}

export function manifestPath(id: string): string {
  return `handovers/2026/${id}.yaml`;
}

export interface PullRequestOptions {
  author?: string;
  /** Files the pull request changes besides what it merges into the repository. */
  files: Array<{ filename: string; status: 'added' | 'modified' | 'removed' | 'renamed' }>;
}

export interface ActionWorld {
  sandbox: Sandbox;
  repo: TestRepo;
  /** The config the repository holds (the sandbox's seed world, platform URL pointing at the sandbox). */
  configYaml: string;
  openPullRequest(options: PullRequestOptions): number;
  approve(number: number, login?: string, commitId?: string): void;
  /**
   * Merges the pull request in the sandbox and lands `files` on main as one commit, the merge commit GitHub
   * reports for it. Returns the commit.
   */
  merge(number: number, files: Record<string, string | null>, options?: { daysAgo?: number }): string;
  /** A commit pushed to main directly, without a pull request. */
  pushDirectly(files: Record<string, string | null>): string;
  pushEvent(after: string, before: string): unknown;
  pullRequestEvent(number: number): unknown;
  reviewEvent(number: number, login: string): unknown;
  run(options: {
    command: string;
    eventName: string;
    event: unknown;
    inputs?: Record<string, string>;
    /** Runner variables of this run only (e.g. GITHUB_RUN_ATTEMPT for a re-run). */
    env?: Record<string, string>;
  }): Promise<ActionRun>;
  /** The sandbox's mutating requests to PagerDuty, Slack and the platform API: the handover's side effects. */
  sideEffects(): number;
  close(): Promise<void>;
}

/** The sandbox has no git: point the merged pull request at the real commit the repository holds. */
function setMergeCommit(sandbox: Sandbox, number: number, sha: string): void {
  const state = sandbox.emulators.github.snapshot() as GitHubState;
  const pull = state.repos
    .find((r) => r.owner === SEED_IDS.githubOwner && r.name === SEED_IDS.githubRepo)
    ?.pulls.find((p) => p.number === number);
  if (!pull) throw new Error(`no pull request #${number}`);
  pull.mergeCommitSha = sha;
  sandbox.emulators.github.restore(state);
}

function repositoryPayload() {
  return {
    id: 700001,
    name: SEED_IDS.githubRepo,
    full_name: REPOSITORY,
    private: true,
    owner: { login: SEED_IDS.githubOwner, type: 'Organization' },
    default_branch: SEED_IDS.githubDefaultBranch,
    master_branch: SEED_IDS.githubDefaultBranch,
  };
}

export async function createActionWorld(bundle: string): Promise<ActionWorld> {
  const sandbox = await startSandbox();
  const scratch = mkdtempSync(join(tmpdir(), 'handover-action-world-'));
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  const repo = new TestRepo(workspace);
  const configYaml = sandbox.configYaml();
  repo.init({ 'handover.config.yaml': configYaml, 'README.md': '# On-call handovers\n' });
  const github = sandbox.emulators.github;
  const env = sandbox.env();
  const { PAGERDUTY_TOKEN, SLACK_BOT_TOKEN, PLATFORM_TOKEN, GITHUB_TOKEN, ...endpoints } = env;

  const pullPayload = (number: number) => {
    const pull = github.pullRequest(number);
    return {
      number,
      state: pull.state,
      title: pull.title,
      user: { login: pull.author, type: 'User' },
      head: { ref: pull.headRef, sha: pull.commits.at(-1), repo: { full_name: REPOSITORY } },
      base: { ref: pull.baseRef, sha: pull.baseSha, repo: { full_name: REPOSITORY } },
      merged: pull.mergedAt !== null,
      draft: false,
    };
  };

  return {
    sandbox,
    repo,
    configYaml,
    openPullRequest: (options) =>
      github.createPullRequest({
        author: options.author ?? ALICE.github,
        title: 'Handover',
        files: options.files,
      }).number,
    approve: (number, login = BOB.github, commitId) =>
      void github.addReview(number, { user: login, state: 'APPROVED', ...(commitId ? { commitId } : {}) }),
    merge: (number, files, options = {}) => {
      github.merge(number);
      const sha = repo.commit(files, `${github.pullRequest(number).title} (#${number})`, options);
      setMergeCommit(sandbox, number, sha);
      return sha;
    },
    pushDirectly: (files) => repo.commit(files, 'Direct push'),
    pushEvent: (after, before) => ({
      ref: `refs/heads/${SEED_IDS.githubDefaultBranch}`,
      before,
      after,
      created: false,
      deleted: false,
      forced: false,
      base_ref: null,
      compare: `https://github.example/${REPOSITORY}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
      commits: [{ id: after, distinct: true, message: 'merge', author: { name: 'Test' } }],
      head_commit: { id: after, message: 'merge' },
      repository: repositoryPayload(),
      pusher: { name: 'web-flow' },
      sender: { login: ALICE.github, type: 'User' },
    }),
    pullRequestEvent: (number) => ({
      action: 'synchronize',
      number,
      pull_request: pullPayload(number),
      repository: repositoryPayload(),
      sender: { login: ALICE.github, type: 'User' },
    }),
    reviewEvent: (number, login) => ({
      action: 'submitted',
      review: {
        user: { login, type: 'User' },
        state: 'approved',
        commit_id: github.pullRequest(number).commits.at(-1),
      },
      pull_request: pullPayload(number),
      repository: repositoryPayload(),
      sender: { login, type: 'User' },
    }),
    run: (options) =>
      runAction(bundle, {
        inputs: {
          command: options.command,
          manifests: '',
          config: 'handover.config.yaml',
          'pagerduty-token': PAGERDUTY_TOKEN ?? '',
          'slack-bot-token': SLACK_BOT_TOKEN ?? '',
          'platform-token': PLATFORM_TOKEN ?? '',
          'github-token': GITHUB_TOKEN ?? '',
          'dry-run': 'false',
          ...options.inputs,
        },
        eventName: options.eventName,
        event: options.event,
        workspace,
        env: {
          ...endpoints,
          HANDOVER_LEDGER_KEY: LEDGER_KEY,
          GITHUB_SHA: repo.head(),
          GITHUB_REF: 'refs/heads/main',
          ...options.env,
        },
        scratch,
      }),
    sideEffects: () => sandbox.requests.filter((r) => r.mutation && r.service !== 'github').length,
    close: async () => {
      await sandbox.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
