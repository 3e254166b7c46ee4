import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { SEED_INCIDENTS } from '../../src/sandbox/pagerduty.js';
import { SEED_ADMINS } from '../../src/sandbox/roster.js';
import { rawPagerDuty } from '../sandbox/pagerduty-helpers.js';
import { startClockedSandbox } from '../support/sandbox.js';

const INCIDENT = SEED_INCIDENTS.euApiLatency;
const note = { note: { content: 'handover note' } };

/** PagerDuty's permission model as @pagerduty/pdjs sees it over HTTP. */
describe('PagerDuty emulator: key kinds and user roles', () => {
  let sandbox: Sandbox;

  beforeEach(async () => {
    ({ sandbox } = await startClockedSandbox());
  });
  afterEach(async () => {
    await sandbox.close();
  });

  const addNote = (from = SEED_ADMINS.alice.email) =>
    rawPagerDuty(sandbox, 'POST', `/incidents/${INCIDENT}/notes`, { body: note, from });

  it('refuses every write of a read-only key with the documented 403 body, and still reads', async () => {
    sandbox.emulators.pagerduty.setApiKey({ kind: 'read-only' });
    const before = sandbox.emulators.pagerduty.notes(INCIDENT).length;
    const answer = await addNote();
    expect(answer.status).toBe(403);
    expect(answer.data).toEqual({
      error: {
        message: 'Access Denied',
        code: 2010,
        errors: ['This API key is read-only: it may not create or change anything'],
      },
    });
    expect(sandbox.emulators.pagerduty.notes(INCIDENT)).toHaveLength(before);
    expect((await rawPagerDuty(sandbox, 'GET', `/incidents/${INCIDENT}`)).status).toBe(200);
  });

  it('refuses a From user whose role may not act on incidents', async () => {
    sandbox.emulators.pagerduty.setUserRole(SEED_ADMINS.alice.pagerduty, 'observer');
    const answer = await addNote();
    expect(answer.status).toBe(403);
    expect(answer.data).toMatchObject({ error: { message: 'Access Denied', code: 2010 } });
  });

  it("attributes a user-level token's writes to the token's owner whatever From says", async () => {
    sandbox.emulators.pagerduty.setApiKey({ kind: 'user', userId: SEED_ADMINS.dana.pagerduty });
    const answer = await addNote(SEED_ADMINS.alice.email);
    expect(answer.status).toBe(200);
    expect(answer.data).toMatchObject({ note: { user: { id: SEED_ADMINS.dana.pagerduty } } });
  });

  it("takes a general key's writes as the From user", async () => {
    const answer = await addNote(SEED_ADMINS.alice.email);
    expect(answer.data).toMatchObject({ note: { user: { id: SEED_ADMINS.alice.pagerduty } } });
  });
});
