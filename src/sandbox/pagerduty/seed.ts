import { SEED_ADMINS, SEED_IDS } from '../roster.js';
import {
  acknowledge,
  addNote,
  createIncident,
  emptyState,
  type ModelContext,
  type PagerDutyState,
  resolve,
} from './model.js';
import { DEFAULT_ACCOUNT_TIME_ZONE, isoSeconds } from './time.js';

const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
const WEEK_SECONDS = 7 * 24 * 60 * 60;

const ALICE = SEED_ADMINS.alice.pagerduty;
const DANA = SEED_ADMINS.dana.pagerduty;
/** Someone on another team: on call for the billing service, never part of a platform handover. */
export const BILLING_USER_ID = 'PUSR004';
export const BILLING_SCHEDULE_ID = 'PSCH002';

/** The seed's incidents, by the ids tests and the demo refer to. */
export const SEED_INCIDENTS = {
  /** PSVC001, alice, acknowledged: the manifest example's incident. */
  euApiLatency: 'Q1ABCDEF12345',
  /** PSVC001, alice, triggered. */
  buildRunnerDisk: 'Q2GHJKLM67890',
  /** PSVC001, alice, acknowledged, low urgency, two days old. */
  adminCertificate: 'Q3NPQRST24680',
  /** PSVC001, dana, triggered. */
  sessionErrors: 'Q4VWXYZA13579',
  /** PSVC001, resolved (was alice's): the outage of the mid-shift-outage example. */
  controlPlaneOutage: 'Q9OUTAGE00001',
  /** PSVC001, resolved (was alice's). */
  backupFailure: 'Q5CDEFGH97531',
  /** PSVC002 (another team's service), alice, triggered: a handover must never touch it. */
  invoiceRendering: 'Q6JKLMNP86420',
} as const;

/** The last Monday 16:00 UTC at or before `now`: the weekly hand-off the seed rotation starts from. */
export function lastMondayHandOff(now: Date): Date {
  const handOff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 16));
  const daysSinceMonday = (handOff.getUTCDay() + 6) % 7;
  handOff.setUTCDate(handOff.getUTCDate() - daysSinceMonday);
  if (handOff.getTime() > now.getTime()) handOff.setUTCDate(handOff.getUTCDate() - 7);
  return handOff;
}

/**
 * The seed world (roster.ts people and ids): alice, bob and dana rotate weekly on PSCH001 with
 * hand-offs on Mondays at 16:00 UTC, alice's turn starting at the last hand-off before the sandbox
 * started; seven incidents with their trail of log entries and notes.
 */
export function seedState(ctx: Omit<ModelContext, 'state'>): PagerDutyState {
  const state = emptyState();
  const now = ctx.now().getTime();
  // Each step of the story happens at its own time; the world functions read the clock from here.
  const at = (offsetMs: number): ModelContext => ({
    state,
    nextId: ctx.nextId,
    now: () => new Date(now + offsetMs),
  });

  state.users.push(
    ...Object.values(SEED_ADMINS).map((admin) => ({
      id: admin.pagerduty,
      name: admin.name,
      email: admin.email,
      timeZone: 'Europe/Amsterdam',
      role: 'admin' as const,
    })),
    {
      id: BILLING_USER_ID,
      name: 'Priya Natarajan',
      email: 'priya@novavms.example',
      timeZone: 'Asia/Kolkata',
      role: 'user',
    },
  );
  state.escalationPolicies.push(
    { id: 'PESC001', name: 'Platform Ops', levels: [{ scheduleIds: [SEED_IDS.pagerdutyScheduleId] }] },
    { id: 'PESC002', name: 'Billing', levels: [{ scheduleIds: [BILLING_SCHEDULE_ID] }] },
  );
  state.services.push(
    { id: SEED_IDS.pagerdutyServiceId, name: 'platform-ops', escalationPolicyId: 'PESC001' },
    { id: SEED_IDS.otherServiceId, name: 'billing-api', escalationPolicyId: 'PESC002' },
  );
  const handOff = isoSeconds(lastMondayHandOff(ctx.now()));
  state.schedules.push(
    {
      id: SEED_IDS.pagerdutyScheduleId,
      name: 'Platform primary',
      timeZone: DEFAULT_ACCOUNT_TIME_ZONE,
      rotation: {
        userIds: [SEED_ADMINS.alice.pagerduty, SEED_ADMINS.bob.pagerduty, SEED_ADMINS.dana.pagerduty],
        start: handOff,
        turnLengthSeconds: WEEK_SECONDS,
      },
      overrides: [],
    },
    {
      id: BILLING_SCHEDULE_ID,
      name: 'Billing primary',
      timeZone: 'UTC',
      rotation: { userIds: [BILLING_USER_ID], start: handOff, turnLengthSeconds: WEEK_SECONDS },
      overrides: [],
    },
  );

  const created = (offsetMs: number) => isoSeconds(now + offsetMs);
  const latency = createIncident(at(-3 * HOUR_MS), {
    id: SEED_INCIDENTS.euApiLatency,
    title: 'EU API p99 latency above 2s',
    assigneeIds: [ALICE],
    createdAt: created(-3 * HOUR_MS),
  });
  acknowledge(at(-3 * HOUR_MS + 4 * MINUTE_MS), latency, ALICE, 'mobile');
  addNote(
    at(-20 * MINUTE_MS),
    latency,
    ALICE,
    'Raised the connection pool from 50 to 80 on replica 2; watching p99 before failing over.',
  );

  createIncident(at(-50 * MINUTE_MS), {
    id: SEED_INCIDENTS.buildRunnerDisk,
    title: 'Disk usage above 90% on build-runner-07',
    assigneeIds: [ALICE],
    createdAt: created(-50 * MINUTE_MS),
  });

  const certificate = createIncident(at(-49 * HOUR_MS), {
    id: SEED_INCIDENTS.adminCertificate,
    title: 'TLS certificate for admin.novavms.example expires in 6 days',
    assigneeIds: [ALICE],
    urgency: 'low',
    createdAt: created(-49 * HOUR_MS),
  });
  acknowledge(at(-48 * HOUR_MS), certificate, ALICE);

  createIncident(at(-20 * MINUTE_MS), {
    id: SEED_INCIDENTS.sessionErrors,
    title: 'Elevated 5xx rate on session-service in ap-southeast-2',
    assigneeIds: [DANA],
    createdAt: created(-20 * MINUTE_MS),
  });

  const outage = createIncident(at(-26 * HOUR_MS), {
    id: SEED_INCIDENTS.controlPlaneOutage,
    title: 'Platform outage: eu-west control plane unavailable',
    assigneeIds: [ALICE],
    createdAt: created(-26 * HOUR_MS),
  });
  acknowledge(at(-26 * HOUR_MS + 2 * MINUTE_MS), outage, ALICE, 'mobile');
  addNote(
    at(-25 * HOUR_MS),
    outage,
    ALICE,
    'Failed the control plane over to eu-central; customers recovering.',
  );
  resolve(at(-24 * HOUR_MS), outage, ALICE);

  const backup = createIncident(at(-30 * HOUR_MS), {
    id: SEED_INCIDENTS.backupFailure,
    title: 'Nightly backup job failed for tenant-db-3',
    assigneeIds: [ALICE],
    urgency: 'low',
    createdAt: created(-30 * HOUR_MS),
  });
  addNote(
    at(-29 * HOUR_MS),
    backup,
    ALICE,
    'Backup agent credentials had expired; rotated them and re-ran the job.',
  );
  resolve(at(-29 * HOUR_MS), backup, ALICE);

  createIncident(at(-90 * MINUTE_MS), {
    id: SEED_INCIDENTS.invoiceRendering,
    title: 'Invoice PDF rendering timing out',
    serviceId: SEED_IDS.otherServiceId,
    assigneeIds: [ALICE],
    createdAt: created(-90 * MINUTE_MS),
  });
  return state;
}
