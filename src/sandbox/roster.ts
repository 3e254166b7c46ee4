/**
 * The people and ids of the sandbox's seed world, shared by every emulator and by the
 * `handover.config.yaml` the sandbox writes. Real-looking but fictional.
 */
export interface SeedAdmin {
  handle: string;
  name: string;
  github: string;
  pagerduty: string;
  slack: string;
  email: string;
  tracker: string;
}

export const SEED_ADMINS: Record<'alice' | 'bob' | 'dana', SeedAdmin> = {
  alice: {
    handle: 'alice',
    name: 'Alice Moreau',
    github: 'alice-nv',
    pagerduty: 'PUSR001',
    slack: 'U0ALICE',
    email: 'alice@novavms.example',
    tracker: 'alice',
  },
  bob: {
    handle: 'bob',
    name: 'Bob Okafor',
    github: 'bob-nv',
    pagerduty: 'PUSR002',
    slack: 'U0BOB',
    email: 'bob@novavms.example',
    tracker: 'bob',
  },
  dana: {
    handle: 'dana',
    name: 'Dana Lindqvist',
    github: 'dana-nv',
    pagerduty: 'PUSR003',
    slack: 'U0DANA',
    email: 'dana@novavms.example',
    tracker: 'dana',
  },
};

export const SEED_IDS = {
  pagerdutyServiceId: 'PSVC001',
  /** Another service whose incidents must never be touched by a platform-ops handover. */
  otherServiceId: 'PSVC002',
  pagerdutyScheduleId: 'PSCH001',
  slackChannel: 'C0PLATOPS',
  slackChannelName: 'novavms-platform-ops',
  githubOwner: 'novavms',
  githubRepo: 'oncall',
  githubDefaultBranch: 'main',
} as const;
