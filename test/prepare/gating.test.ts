import { describe, expect, it } from 'vitest';
import type { HandoverConfig } from '../../src/config/types.js';
import { evaluateAcknowledgement } from '../../src/runbook/steps/preflight-acknowledgement.js';
import { added, config, handover, MANIFEST_PATH, pull, review } from '../plan/builders.js';

const BOT = 'github-actions[bot]';
const withPrepare = (): HandoverConfig => ({ ...config(), prepare: {} });
const botPull = (headRef = 'handover/prepare/2026-11-26-alice-to-bob') => pull({ author: BOT, headRef });

function evaluate(cfg: HandoverConfig, pr: ReturnType<typeof pull>, reviews: ReturnType<typeof review>[]) {
  const result = evaluateAcknowledgement({
    handover: handover(),
    config: cfg,
    pull: pr,
    reviews,
    files: [added()],
    manifestPath: MANIFEST_PATH,
    headPushers: [BOT],
  });
  return { approver: result.approver, rules: result.problems.map((p) => p.rule) };
}

describe('a pull request handover prepare opened (authored by the bot)', () => {
  it('is acknowledged by the incoming admin’s approval of its final commit, as any handover', () => {
    expect(evaluate(withPrepare(), botPull(), [review('bob-nv', 'APPROVED')])).toEqual({
      approver: 'bob',
      rules: [],
    });
  });

  it('without that approval is refused exactly as today: not by the outgoing admin, not by anyone else', () => {
    for (const reviews of [[], [review('alice-nv', 'APPROVED')], [review('dana-nv', 'APPROVED')]])
      expect(evaluate(withPrepare(), botPull(), reviews)).toEqual({
        approver: null,
        rules: ['ack.approval-missing'],
      });
  });

  it('counts as the outgoing admin’s only on prepare’s branches, and only where the config sets prepare up', () => {
    expect(evaluate(withPrepare(), botPull('feature/x'), [review('bob-nv', 'APPROVED')]).rules).toContain(
      'ack.author',
    );
    expect(evaluate(config(), botPull(), [review('bob-nv', 'APPROVED')]).rules).toContain('ack.author');
    const otherBot = pull({ author: 'renovate[bot]', headRef: 'handover/prepare/x' });
    expect(evaluate(withPrepare(), otherBot, [review('bob-nv', 'APPROVED')]).rules).toContain('ack.author');
  });
});
