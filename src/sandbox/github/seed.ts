import { SEED_ADMINS, SEED_IDS } from '../roster.js';
import {
  allocateId,
  emptyGitHubState,
  type GhStoredRepo,
  type GitHubState,
  githubTime,
  newCommitSha,
  userFor,
} from './model.js';

/** The manifest file the seed pull request adds. */
export const SEED_MANIFEST_PATH = 'handovers/2026/2026-11-26-alice-to-bob.yaml';

/**
 * The seed world: novavms/oncall (default branch main) with alice's open pull request #1 adding
 * the example manifest, not reviewed yet; and novavms/platform with the engineering issue #812
 * that a ticket waiting on engineering links to.
 */
export function seedGitHubState(now: Date): GitHubState {
  const state = emptyGitHubState();
  for (const admin of Object.values(SEED_ADMINS)) userFor(state, admin.github);
  const created = githubTime(new Date(now.getTime() - 90 * 24 * 3600_000));
  const hourAgo = githubTime(new Date(now.getTime() - 3600_000));

  const oncall: GhStoredRepo = {
    owner: SEED_IDS.githubOwner,
    name: SEED_IDS.githubRepo,
    id: allocateId(state),
    private: true,
    description: 'On-call handovers as code for the NovaVMS platform team',
    defaultBranch: SEED_IDS.githubDefaultBranch,
    createdAt: created,
    nextNumber: 1,
    pulls: [],
    issues: [],
    reviews: [],
    comments: [],
  };
  const platform: GhStoredRepo = {
    ...oncall,
    name: 'platform',
    id: allocateId(state),
    description: 'The NovaVMS platform',
    pulls: [],
    issues: [],
    reviews: [],
    comments: [],
  };
  state.repos.push(oncall, platform);

  platform.issues.push({
    number: 812,
    id: allocateId(state),
    title: 'Ledger export drops rows for invoices with credit notes',
    body: 'Reported through SUP-4420: the monthly ledger export skips invoices that carry a credit note.',
    author: SEED_ADMINS.dana.github,
    state: 'open',
    createdAt: created,
    updatedAt: hourAgo,
    closedAt: null,
  });
  platform.nextNumber = 813;

  oncall.pulls.push({
    number: oncall.nextNumber,
    id: allocateId(state),
    title: 'Handover 2026-11-26: alice → bob',
    body: 'Planned handover of the platform on-call from alice to bob.',
    author: SEED_ADMINS.alice.github,
    state: 'open',
    draft: false,
    headRef: 'handover/2026-11-26-alice-to-bob',
    baseRef: SEED_IDS.githubDefaultBranch,
    commits: [newCommitSha(state, 'seed-head')],
    baseSha: newCommitSha(state, 'seed-base'),
    files: [
      { filename: SEED_MANIFEST_PATH, status: 'added', previousFilename: null, additions: 38, deletions: 0 },
    ],
    createdAt: hourAgo,
    updatedAt: hourAgo,
    closedAt: null,
    mergedAt: null,
    mergeCommitSha: null,
    mergedBy: null,
  });
  oncall.nextNumber += 1;
  return state;
}
