import { describe, expect, it } from 'vitest';
import type { Handover } from '../../src/manifest/types.js';
import type { GhPullFile, GhPullRequest, GhReview } from '../../src/providers/types.js';
import { evaluateAcknowledgement } from '../../src/runbook/steps/preflight-acknowledgement.js';
import { added, config, HEAD, handover, MANIFEST_PATH, OLD, pull, review } from './builders.js';

const emergency: Partial<Handover> = {
  variant: 'emergency',
  emergency: { cause: 'incapacitated' },
  window: { end: '2026-11-26T18:00:00Z' },
};

type Case = {
  name: string;
  manifest?: Partial<Handover>;
  pr?: Partial<GhPullRequest>;
  reviews: GhReview[];
  files?: GhPullFile[];
  /** Who pushed the head commit (GitHub's repository activity); alice, the outgoing admin, by default. */
  pushers?: string[];
  approver: string | null;
  rules: string[];
  approverPushed?: boolean;
  /** Substrings of the problem messages, in order. */
  says?: string[];
};

const cases: Case[] = [
  {
    name: 'the incoming admin pushed the approved commit and approved it: refused',
    reviews: [review('bob-nv', 'APPROVED')],
    pushers: ['bob-nv'],
    approver: 'bob',
    rules: ['ack.approver-pushed'],
    approverPushed: true,
    says: ['bob (bob-nv) pushed commit abc1234 and approved it', 'alice pushes the handover'],
  },
  {
    name: 'a push by the incoming admin counts whoever else pushed the same commit',
    reviews: [review('bob-nv', 'APPROVED')],
    pushers: ['alice-nv', 'BOB-NV'],
    approver: 'bob',
    rules: ['ack.approver-pushed'],
    approverPushed: true,
  },
  {
    name: 'nobody is known to have pushed the head commit (a fork, say): refused, it cannot be told',
    reviews: [review('bob-nv', 'APPROVED')],
    pushers: [],
    approver: 'bob',
    rules: ['ack.pusher-unknown'],
    says: ['GitHub lists no push of commit abc1234'],
  },
  {
    name: 'emergency: the approver who also pushed is recorded, not refused',
    manifest: emergency,
    reviews: [review('bob-nv', 'APPROVED')],
    pushers: ['bob-nv'],
    approver: 'bob',
    rules: [],
    approverPushed: true,
  },
  {
    name: 'the incoming admin approving the head commit is the acknowledgement',
    reviews: [review('bob-nv', 'APPROVED')],
    approver: 'bob',
    rules: [],
  },
  {
    name: 'logins compare case-insensitively',
    reviews: [review('Bob-NV', 'APPROVED')],
    approver: 'bob',
    rules: [],
  },
  {
    name: 'no review at all: the incoming admin must approve',
    reviews: [],
    approver: null,
    rules: ['ack.approval-missing'],
    says: ['bob (bob-nv) must approve commit abc1234'],
  },
  {
    name: 'an approval by the wrong person does not count',
    reviews: [review('dana-nv', 'APPROVED'), review('mallory', 'APPROVED')],
    approver: null,
    rules: ['ack.approval-missing'],
    says: ['bob (bob-nv) must approve commit abc1234', 'approval by dana-nv, mallory does not count'],
  },
  {
    name: "the incoming admin's approval of an older commit does not count",
    reviews: [review('bob-nv', 'APPROVED', OLD)],
    approver: null,
    rules: ['ack.approval-missing'],
    says: ['bob approved 0001111, an earlier commit'],
  },
  {
    name: 'approving the older commit and then the head commit counts',
    reviews: [review('bob-nv', 'APPROVED', OLD), review('bob-nv', 'APPROVED')],
    approver: 'bob',
    rules: [],
  },
  {
    name: 'a later CHANGES_REQUESTED withdraws the approval',
    reviews: [review('bob-nv', 'APPROVED'), review('bob-nv', 'CHANGES_REQUESTED')],
    approver: null,
    rules: ['ack.approval-missing'],
    says: ['bob requested changes'],
  },
  {
    name: 'a dismissed approval does not count',
    reviews: [review('bob-nv', 'DISMISSED')],
    approver: null,
    rules: ['ack.approval-missing'],
    says: ["bob's approval was dismissed"],
  },
  {
    name: 'a comment after the approval changes nothing',
    reviews: [review('bob-nv', 'APPROVED'), review('bob-nv', 'COMMENTED'), review('bob-nv', 'PENDING')],
    approver: 'bob',
    rules: [],
  },
  {
    name: 'approving again after requesting changes counts',
    reviews: [review('bob-nv', 'CHANGES_REQUESTED', OLD), review('bob-nv', 'APPROVED')],
    approver: 'bob',
    rules: [],
  },
  {
    name: "the outgoing admin's own approval never counts",
    reviews: [review('alice-nv', 'APPROVED')],
    approver: null,
    rules: ['ack.approval-missing'],
    says: ["alice's own approval does not count"],
  },
  {
    name: 'a review by a deleted account is ignored',
    reviews: [review(null, 'APPROVED')],
    approver: null,
    rules: ['ack.approval-missing'],
  },
  {
    name: 'a pull request opened by someone other than the outgoing admin is refused',
    pr: { author: 'dana-nv' },
    reviews: [review('bob-nv', 'APPROVED')],
    approver: 'bob',
    rules: ['ack.author'],
    says: ['opened by dana-nv, not alice (alice-nv): alice must open'],
  },
  {
    name: 'the incoming admin cannot approve a pull request they opened',
    pr: { author: 'bob-nv' },
    reviews: [review('bob-nv', 'APPROVED')],
    approver: null,
    rules: ['ack.author', 'ack.approval-missing'],
  },
  {
    name: 'emergency: a third admin may approve',
    manifest: emergency,
    reviews: [review('dana-nv', 'APPROVED')],
    approver: 'dana',
    rules: [],
  },
  {
    name: 'emergency: any roster admin may open it, but not approve their own',
    manifest: emergency,
    pr: { author: 'dana-nv' },
    reviews: [review('dana-nv', 'APPROVED')],
    approver: null,
    rules: ['ack.approval-missing'],
    says: ['an admin other than alice (bob (bob-nv)) must approve commit abc1234'],
  },
  {
    name: 'emergency: the author who is not an admin is refused',
    manifest: emergency,
    pr: { author: 'mallory' },
    reviews: [review('bob-nv', 'APPROVED')],
    approver: 'bob',
    rules: ['ack.author'],
  },
  {
    name: "emergency: the outgoing admin's approval still never counts",
    manifest: emergency,
    pr: { author: 'bob-nv' },
    reviews: [review('alice-nv', 'APPROVED')],
    approver: null,
    rules: ['ack.approval-missing'],
    says: ['an admin other than alice (dana (dana-nv)) must approve'],
  },
  {
    name: 'emergency: the incoming admin is preferred when several approve',
    manifest: emergency,
    reviews: [review('dana-nv', 'APPROVED'), review('bob-nv', 'APPROVED')],
    approver: 'bob',
    rules: [],
  },
  {
    name: 'a file outside handovers/ is refused',
    reviews: [review('bob-nv', 'APPROVED')],
    files: [added(), { filename: 'src/plan/stranded.ts', status: 'modified', previousFilename: null }],
    approver: 'bob',
    rules: ['ack.file-outside-handovers'],
    says: ['changes src/plan/stranded.ts (modified), outside handovers/'],
  },
  {
    name: 'a file renamed out of handovers/ is refused',
    reviews: [review('bob-nv', 'APPROVED')],
    files: [
      added(),
      { filename: 'handovers/x.yaml', status: 'renamed', previousFilename: '.github/workflows/plan.yml' },
    ],
    approver: 'bob',
    rules: ['ack.file-outside-handovers'],
  },
  {
    name: 'a modified manifest is refused',
    reviews: [review('bob-nv', 'APPROVED')],
    files: [{ filename: MANIFEST_PATH, status: 'modified', previousFilename: null }],
    approver: 'bob',
    rules: ['ack.manifest-not-added'],
    says: ['is modified in this pull request, not added'],
  },
  {
    name: 'a renamed manifest is refused',
    reviews: [review('bob-nv', 'APPROVED')],
    files: [{ filename: MANIFEST_PATH, status: 'renamed', previousFilename: 'handovers/old.yaml' }],
    approver: 'bob',
    rules: ['ack.manifest-not-added'],
  },
  {
    name: 'changing another manifest alongside is refused',
    reviews: [review('bob-nv', 'APPROVED')],
    files: [added(), { filename: 'handovers/2026/older.yaml', status: 'removed', previousFilename: null }],
    approver: 'bob',
    rules: ['ack.other-manifest'],
  },
  {
    name: 'a pull request that does not add this manifest is refused',
    reviews: [review('bob-nv', 'APPROVED')],
    files: [added('handovers/2026/another.yaml')],
    approver: 'bob',
    rules: ['ack.other-manifest', 'ack.manifest-missing'],
  },
];

describe('evaluateAcknowledgement: the incoming admin approved the final commit', () => {
  it.each(cases)(
    '$name',
    ({ manifest, pr, reviews, files, pushers, approver, rules, says, approverPushed }) => {
      const result = evaluateAcknowledgement({
        handover: handover(manifest),
        config: config(),
        pull: pull(pr),
        reviews,
        files: files ?? [added()],
        manifestPath: MANIFEST_PATH,
        headPushers: pushers ?? ['alice-nv'],
      });
      expect(result.approverPushedHead).toBe(approverPushed ?? false);
      expect(result.approver).toBe(approver);
      expect(result.approvedSha).toBe(approver === null ? null : HEAD);
      expect(result.problems.map((p) => p.rule)).toEqual(rules);
      expect(result.ok).toBe(rules.length === 0);
      const text = result.problems.map((p) => p.message).join('\n');
      for (const phrase of says ?? []) expect(text).toContain(phrase);
    },
  );
});
