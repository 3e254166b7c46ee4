/**
 * Test worlds for apply: a sandbox (real HTTP emulators on 127.0.0.1) seeded and then arranged with
 * its in-process controls, a temporary repository with the config and one manifest, and the pull
 * request that carries it in the sandbox's GitHub. Nothing here imitates our own code: apply runs for
 * real, through the real providers.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/index.js';
import type { HandoverConfig } from '../../src/config/types.js';
import type { Handover } from '../../src/manifest/types.js';
import type { RetryPolicy } from '../../src/providers/types.js';
import { type ApplyOptions, type ApplyResult, applyHandover } from '../../src/runbook/apply.js';
import { createMemoryReporter, type RecordedLine } from '../../src/runbook/runtime/reporter.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { SEED_INCIDENTS } from '../../src/sandbox/pagerduty.js';
import { PLATFORM_SEED } from '../../src/sandbox/platform.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { ALICE_TO_BOB } from '../support/handover.js';

/** The sandbox clock: a Thursday afternoon, alice's week on call (the rotation hands off on Mondays at 16:00). */
export const NOW = new Date('2026-11-26T15:00:00Z');
export const CHANNEL = SEED_IDS.slackChannel;

/** Retries that never wait on the wall clock; `delays` records what they would have waited. */
export function fastRetry(overrides: Partial<RetryPolicy> = {}): Partial<RetryPolicy> & { delays: number[] } {
  const delays: number[] = [];
  return {
    maxAttempts: 5,
    baseDelayMs: 10,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    ...overrides,
    delays,
  };
}

export type ManifestInput = Omit<Handover, 'apiVersion' | 'kind'>;

const STATUS = {
  hypothesis: 'Connection pool exhaustion on the eu-west read replicas.',
  lastAction: 'Raised pool size from 50 to 80 on replica 2 at 14:40 UTC.',
  nextAction: 'Watch p99 for 30 minutes; if still high, fail over to replica 3.',
};

export function status(tag: string) {
  return {
    hypothesis: `${STATUS.hypothesis} (${tag})`,
    lastAction: STATUS.lastAction,
    nextAction: STATUS.nextAction,
  };
}

/** The whole seed world handed over from alice to bob: three incidents, three tickets, two rollouts. */
export function fullManifest(overrides: Partial<ManifestInput> = {}): ManifestInput {
  return {
    ...ALICE_TO_BOB,
    incidents: [
      { id: SEED_INCIDENTS.euApiLatency, title: 'EU API p99 latency above 2s', status: status('latency') },
      { id: SEED_INCIDENTS.buildRunnerDisk, status: status('disk') },
      { id: SEED_INCIDENTS.adminCertificate, status: status('certificate') },
    ],
    tickets: [
      { id: PLATFORM_SEED.ticketWaitingOnCustomer, disposition: 'waiting_on_customer' },
      {
        id: PLATFORM_SEED.ticketWaitingOnEngineering,
        disposition: 'waiting_on_engineering',
        engineeringIssue: 'novavms/platform#812',
      },
      {
        id: PLATFORM_SEED.ticketActive,
        disposition: 'active',
        impersonationSession: PLATFORM_SEED.sessionOnActiveTicket,
      },
    ],
    rollouts: [
      {
        flag: PLATFORM_SEED.rolloutRamping,
        state: 'ramping',
        rampPercent: 25,
        lastErrorRatePercent: 0.42,
        nextStep: 'Ramp to 50% on 2026-11-27 if the error rate stays under 0.5%.',
      },
      {
        flag: PLATFORM_SEED.rolloutPaused,
        state: 'paused',
        rampPercent: 10,
        lastErrorRatePercent: 1.8,
        nextStep: 'Stay paused until the replica lag alert is fixed.',
      },
    ],
    ...overrides,
  };
}

/**
 * The crash matrix's small world: two incidents, two tickets (one with a session to end), one rollout.
 * The rest of alice's seed items are arranged out of the way so nothing else would be stranded.
 */
export function smallManifest(overrides: Partial<ManifestInput> = {}): ManifestInput {
  const full = fullManifest();
  return {
    ...full,
    incidents: full.incidents.slice(0, 2),
    tickets: full.tickets.slice(1),
    rollouts: full.rollouts.slice(0, 1),
    ...overrides,
  };
}

export function arrangeSmallWorld(sandbox: Sandbox): void {
  sandbox.emulators.pagerduty.resolveIncident(SEED_INCIDENTS.adminCertificate, SEED_ADMINS.alice.pagerduty);
  sandbox.emulators.platform.setTicket(PLATFORM_SEED.ticketWaitingOnCustomer, { pinned: false });
  sandbox.emulators.platform.setRollout(PLATFORM_SEED.rolloutPaused, { state: 'complete' });
}

export interface World {
  sandbox: Sandbox;
  root: string;
  config: HandoverConfig;
  configPath: string;
  manifestPath: string;
  /** Repository-relative, as the pull request lists it. */
  manifestRepoPath: string;
  manifest: ManifestInput;
  pullNumber: number | null;
  env: Record<string, string>;
  /** Runs apply in-process with a memory reporter. */
  apply(options?: Partial<ApplyOptions>): Promise<ApplyResult & { log: RecordedLine[] }>;
  close(): Promise<void>;
}

export interface WorldOptions {
  manifest: ManifestInput;
  /** Arrange the sandbox before the pull request is opened. */
  arrange?: (sandbox: Sandbox) => void;
  /**
   * The pull request: by default alice opens it, bob approves its head, and it is merged.
   * `false` opens none (the --skip-approval-check path).
   */
  pull?:
    | false
    | {
        author?: string;
        approver?: string | null;
        merge?: boolean;
        extraFiles?: Array<{ filename: string; status: 'added' | 'modified' }>;
      };
}

export async function createWorld(options: WorldOptions): Promise<World> {
  const sandbox = await startSandbox({ now: () => NOW });
  options.arrange?.(sandbox);
  const root = mkdtempSync(join(tmpdir(), 'handover-apply-'));
  const configPath = join(root, 'handover.config.yaml');
  writeFileSync(configPath, sandbox.configYaml());
  const loaded = loadConfig(configPath);
  if (!loaded.config) throw new Error(`test config invalid: ${JSON.stringify(loaded.diagnostics)}`);
  const config = loaded.config;

  const manifestRepoPath = `handovers/2026/${options.manifest.id}.yaml`;
  const manifestPath = join(root, manifestRepoPath);
  mkdirSync(join(root, 'handovers/2026'), { recursive: true });
  const document: Handover = { apiVersion: 'handover/v1', kind: 'Handover', ...options.manifest };
  writeFileSync(manifestPath, stringify(document, { lineWidth: 0 }));

  let pullNumber: number | null = null;
  if (options.pull !== false) {
    const pull = options.pull ?? {};
    const github = sandbox.emulators.github;
    const opened = github.createPullRequest({
      author: pull.author ?? SEED_ADMINS.alice.github,
      title: `Handover ${options.manifest.id}`,
      files: [{ filename: manifestRepoPath, status: 'added' }, ...(pull.extraFiles ?? [])],
    });
    pullNumber = opened.number;
    const approver = pull.approver === undefined ? SEED_ADMINS.bob.github : pull.approver;
    if (approver) github.addReview(opened.number, { user: approver, state: 'APPROVED' });
    if (pull.merge ?? true) github.merge(opened.number);
  }

  const env = sandbox.env();
  return {
    sandbox,
    root,
    config,
    configPath,
    manifestPath,
    manifestRepoPath,
    manifest: options.manifest,
    pullNumber,
    env,
    async apply(overrides = {}) {
      const reporter = createMemoryReporter();
      const result = await applyHandover({
        manifestPath,
        repoRoot: root,
        config,
        env,
        reporter,
        now: () => NOW,
        retry: fastRetry(),
        ...(pullNumber !== null ? { pullRequest: pullNumber } : { skipApprovalCheck: true }),
        ...overrides,
      });
      return { ...result, log: reporter.lines };
    },
    async close() {
      await sandbox.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Mutating requests the sandbox answered (every service). */
export function mutations(sandbox: Sandbox) {
  return sandbox.requests.filter((r) => r.mutation);
}

/**
 * Mutating requests whose change took effect: answered normally, or applied and then answered 500
 * (`failMutation` after) or held (`holdMutation` after).
 */
export function effects(sandbox: Sandbox) {
  return sandbox.requests.filter(
    (r) => r.mutation && (r.fault === 'none' || r.fault === 'fail-after' || r.fault === 'held-after'),
  );
}

/**
 * The end state that matters, independent of generated ids and of the order concurrent writes landed
 * in: what a clean run and a resumed run must agree on.
 */
export function endState(sandbox: Sandbox) {
  const { pagerduty, platform, slack } = sandbox.emulators;
  const incidents = pagerduty
    .incidents()
    .filter((i) => i.serviceId === SEED_IDS.pagerdutyServiceId)
    .map((i) => ({
      id: i.id,
      status: i.status,
      assignees: [...new Set(i.assignments.map((a) => a.userId))].sort(),
      notes: i.notes.map((n) => `${n.userId}: ${n.content}`).sort(),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const overrides = pagerduty
    .overrides(SEED_IDS.pagerdutyScheduleId)
    .map((o) => `${o.userId} ${o.start} ${o.end}`)
    .sort();
  const tickets = platform.tickets().map((t) => ({
    id: t.id,
    assignee: t.assignee,
    labels: [...t.labels].sort(),
    links: t.links.map((l) => l.url).sort(),
  }));
  const sessions = platform
    .sessions()
    .map((s) => `${s.id} ${s.status}`)
    .sort();
  const rollouts = platform.rollouts().map((r) => ({
    flag: r.flag,
    owner: r.owner,
    annotations: r.annotations
      .map((a) => `${a.author} ${a.rampPercent} ${a.lastErrorRatePercent} ${a.nextStep}`)
      .sort(),
  }));
  const messages = slack.messages(CHANNEL);
  const indexOfTs = new Map(messages.map((m, i) => [m.ts, i]));
  const posts = messages
    .filter((m) => m.metadata !== null)
    .map((m) => ({
      text: m.text,
      event: m.metadata?.event_type,
      inThreadOf: m.threadTs
        ? (messages[indexOfTs.get(m.threadTs) ?? -1]?.metadata?.event_type ?? '?')
        : null,
    }))
    .sort((a, b) => `${a.event}${a.text}`.localeCompare(`${b.event}${b.text}`));
  const audit = platform
    .auditLog()
    .map((e) => `${e.action} ${e.actor} ${e.target}`)
    .sort();
  return { incidents, overrides, tickets, sessions, rollouts, posts, audit };
}

/** Our Slack posts by event type. */
export function postsOf(sandbox: Sandbox, eventType: string) {
  return sandbox.emulators.slack.messages(CHANNEL).filter((m) => m.metadata?.event_type === eventType);
}
