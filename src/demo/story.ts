/**
 * What alice would write into the draft: realistic answers for the demo, derived from what the draft
 * already says (an incident's title, a rollout's state and numbers). Pure; every answer is prose the
 * validator accepts (at least three words, no placeholder).
 */

export interface IncidentStatus {
  hypothesis: string;
  lastAction: string;
  nextAction: string;
}

interface StatusByTopic {
  topic: RegExp;
  status: IncidentStatus;
}

const STATUS_BY_TOPIC: readonly StatusByTopic[] = [
  {
    topic: /latency|p99|slow/i,
    status: {
      hypothesis: 'Connection pool exhaustion on the eu-west read replicas.',
      lastAction: 'Raised the pool size from 50 to 80 on replica 2 twenty minutes ago.',
      nextAction: 'Watch p99 for 30 minutes; if it stays above 2s, fail over to replica 3.',
    },
  },
  {
    topic: /disk|storage|inode/i,
    status: {
      hypothesis: 'Image layers from the nightly builds were never pruned on this runner.',
      lastAction: 'Drained the runner from the pool and started a prune of unused images.',
      nextAction: 'Put the runner back in the pool once disk usage is below 70%.',
    },
  },
  {
    topic: /certificate|tls|ssl/i,
    status: {
      hypothesis: 'Automatic renewal failed because the DNS challenge record was removed last week.',
      lastAction: 'Restored the challenge record and requested a renewal this morning.',
      nextAction: 'Check tomorrow that the new certificate is served; if not, renew it by hand.',
    },
  },
  {
    topic: /5xx|error|fail/i,
    status: {
      hypothesis: 'A bad deploy is the most likely cause; the errors started right after it.',
      lastAction: 'Rolled the service back to the previous release and paged its owners.',
      nextAction: 'Confirm the error rate is back to baseline, then close with the owners.',
    },
  },
];

const UNKNOWN_TOPIC: IncidentStatus = {
  hypothesis: 'No confirmed cause yet; the incident timeline in PagerDuty has what is known.',
  lastAction: 'Collected logs and metrics from the first hour and attached them to the incident.',
  nextAction: 'Pair with the service owner in the morning and agree on a mitigation.',
};

/** The status paragraph alice writes for an incident, chosen by what its title is about. */
export function statusForTitle(title: string | undefined): IncidentStatus {
  const match = STATUS_BY_TOPIC.find((candidate) => candidate.topic.test(title ?? ''));
  return { ...(match?.status ?? UNKNOWN_TOPIC) };
}

export interface RolloutFacts {
  state: string;
  rampPercent: number;
  lastErrorRatePercent: number;
}

/** The error rate under which the team keeps ramping (their rule of thumb, written into every next step). */
const ERROR_BUDGET_PERCENT = 0.5;

function nextRamp(percent: number): number {
  return Math.min(100, percent < 10 ? 10 : percent * 2);
}

/** The next planned ramp step, from the rollout's state and its numbers. */
export function nextStepForRollout(rollout: RolloutFacts): string {
  const ramp = rollout.rampPercent;
  if (rollout.state === 'paused')
    return `Stay paused at ${ramp}% until the error rate (${rollout.lastErrorRatePercent}% now) is back under ${ERROR_BUDGET_PERCENT}%, then resume at ${nextRamp(ramp)}%.`;
  if (ramp >= 100) return 'Hold at 100% for a week, then remove the flag from the code.';
  return `Ramp to ${nextRamp(ramp)}% tomorrow at 10:00 UTC if the error rate stays under ${ERROR_BUDGET_PERCENT}%.`;
}

/** The engineering issue a ticket waits on: the one issue the sandbox's platform repository has. */
export const ENGINEERING_ISSUE = 'https://github.com/novavms/platform/issues/812';

/** A ticket the tracker says nothing about is, in alice's experience, waiting on the customer. */
export const DEFAULT_DISPOSITION = 'waiting_on_customer';
