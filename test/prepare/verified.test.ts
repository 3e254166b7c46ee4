import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyHandover } from '../../src/runbook/apply.js';
import { SLACK_EVENTS } from '../../src/runbook/runtime/context.js';
import { createMemoryReporter } from '../../src/runbook/runtime/reporter.js';
import { VERIFIED_STATUS_CONTEXT } from '../../src/runbook/steps/verify-holders.js';
import type { OverrideRecord } from '../../src/sandbox/pagerduty.js';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { fillPlaceholders } from '../plan/cli-world.js';
import { at, CHANGE, HOUR, type PrepareWorld, pushManifest, startPrepareWorld } from './world.js';

let world: PrepareWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const MINUTE = 60 * 1000;

/** The bot's first run, alice's push over the placeholders, bob's approval and the merge. */
async function preparedAndMerged(
  w: PrepareWorld,
): Promise<{ number: number; path: string; mergeSha: string }> {
  await w.prepare(at(-3 * HOUR));
  const pull = w.pulls()[0]!;
  const path = pull.files[0]!.filename;
  const github = w.sandbox.emulators.github;
  const filled = fillPlaceholders(github.fileAt(pull.headRef, path)!).replace(
    /"TODO: waiting_on_customer, waiting_on_engineering or active"/g,
    'waiting_on_customer',
  );
  expect(filled.replace(/^#.*$/gm, '')).not.toContain('TODO');
  w.clock.now = at(-2 * HOUR);
  await pushManifest(w, pull.headRef, path, filled);
  github.addReview(pull.number, { user: SEED_ADMINS.bob.github, state: 'APPROVED' });
  const mergeSha = github.merge(pull.number, SEED_ADMINS.alice.github);
  w.write(path, github.fileAt('main', path)!);
  return { number: pull.number, path, mergeSha };
}

async function apply(w: PrepareWorld, number: number, path: string, now: Date) {
  w.clock.now = now;
  return applyHandover({
    manifestPath: join(w.root, path),
    repoRoot: w.root,
    config: w.config,
    env: w.sandbox.env(),
    reporter: createMemoryReporter(),
    pullRequest: number,
    now: () => now,
    retry: { maxAttempts: 2, baseDelayMs: 1, sleep: async () => {}, random: () => 0 },
  });
}

describe('"handover verified" after apply', () => {
  it('a handover prepared by the bot, approved by bob and applied in time ends with a green status', async () => {
    world = await startPrepareWorld();
    const { number, path, mergeSha } = await preparedAndMerged(world);
    const result = await apply(world, number, path, at(-30 * MINUTE));
    expect(result.exitCode, JSON.stringify(result)).toBe(0);
    const verified = result.journal!.actions.find((a) => a.action === 'verified');
    expect(verified?.outcome).toBe('done');
    expect(verified?.detail).toContain('PagerDuty puts bob on call from 2026-11-30 16:00 UTC');
    expect(world.sandbox.emulators.github.statuses(mergeSha)).toEqual([
      expect.objectContaining({ state: 'success', context: VERIFIED_STATUS_CONTEXT }),
    ]);
    // The prepare runs after the merge change nothing more.
    const before = world.sandbox.requests.filter((r) => r.method !== 'GET').length;
    await world.prepare(at(-20 * MINUTE));
    await world.prepare(at(10 * MINUTE));
    expect(world.sandbox.requests.filter((r) => r.method !== 'GET').length).toBe(before);
  });

  it('asks the holders beside the summary thread: a details reply that fails leaves the status, and the re-run posts only the details', async () => {
    world = await startPrepareWorld();
    const { number, path, mergeSha } = await preparedAndMerged(world);
    const sandbox = world.sandbox;
    const requests = sandbox.requests;
    const push = requests.push.bind(requests);
    let broken = false;
    requests.push = (...items) => {
      const count = push(...items);
      // Once the summary is posted, Slack breaks: every thread reply (and its re-read) answers 500.
      if (!broken && items.some((r) => r.service === 'slack' && r.path === '/chat.postMessage')) {
        broken = true;
        sandbox.faults.set({ slack: { serverErrorNext: 20 } });
      }
      return count;
    };
    const result = await apply(world, number, path, at(-30 * MINUTE));
    requests.push = push;
    sandbox.faults.set({});
    expect(broken).toBe(true);
    expect(result.exitCode).toBe(1);
    const outcomes = (action: string) =>
      result.journal!.actions.filter((a) => a.action === action).map((a) => a.outcome);
    expect(outcomes('post summary')).toEqual(['done']);
    expect(outcomes('post details')).toContain('failed');
    // Who holds what does not depend on the thread: the services were asked, and said so.
    expect(outcomes('verified')).toEqual(['done']);
    expect(sandbox.emulators.github.statuses(mergeSha)).toEqual([
      expect.objectContaining({ state: 'success', context: VERIFIED_STATUS_CONTEXT }),
    ]);
    const threadOf = () => {
      const channel = sandbox.emulators.slack.messages(world!.config.slack.channel);
      const summary = channel.filter((m) => m.metadata?.event_type === SLACK_EVENTS.summary);
      expect(summary).toHaveLength(1);
      return sandbox.emulators.slack
        .thread(world!.config.slack.channel, summary[0]!.ts)
        .filter((m) => m.metadata?.event_type === SLACK_EVENTS.details);
    };
    expect(threadOf()).toEqual([]);

    const again = await apply(world, number, path, at(-25 * MINUTE));
    expect(again.exitCode, JSON.stringify(again.journal?.actions.filter((a) => a.outcome === 'failed'))).toBe(
      0,
    );
    expect(threadOf()).toHaveLength(1);
    // The same verdict is on the commit already: nothing new is written there.
    expect(sandbox.emulators.github.statuses(mergeSha)).toHaveLength(1);
  });

  it('catches an override someone else added on top: names the schedule and what to fix, status red', async () => {
    world = await startPrepareWorld();
    const { number, path, mergeSha } = await preparedAndMerged(world);
    // dana takes half an hour of bob's first shift while apply runs (after its freeze step).
    const pd = world.sandbox.emulators.pagerduty;
    const requests = world.sandbox.requests;
    const push = requests.push.bind(requests);
    let added = false;
    requests.push = (...items) => {
      const count = push(...items);
      // At the reassignment (after the freeze step): someone adds an override on top of the handover's.
      if (
        !added &&
        items.some(
          (r) =>
            r.service === 'pagerduty' &&
            r.method === 'PUT' &&
            r.path === '/incidents' &&
            ((r.body as { incidents?: unknown[] } | null)?.incidents?.length ?? 0) > 0,
        )
      ) {
        added = true;
        const state = pd.snapshot();
        const override: OverrideRecord = {
          id: 'POVDANA',
          start: at(30 * MINUTE)
            .toISOString()
            .replace('.000', ''),
          end: at(HOUR).toISOString().replace('.000', ''),
          userId: SEED_ADMINS.dana.pagerduty,
          createdAt: at(-30 * MINUTE)
            .toISOString()
            .replace('.000', ''),
        };
        state.schedules.find((s) => s.id === SEED_IDS.pagerdutyScheduleId)!.overrides.push(override);
        pd.restore(state);
      }
      return count;
    };
    const result = await apply(world, number, path, at(-30 * MINUTE));
    expect(added).toBe(true);
    expect(result.exitCode).toBe(1);
    const failed = result.journal!.actions.filter((a) => a.action === 'verified' && a.outcome === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({
        target: `schedule ${SEED_IDS.pagerdutyScheduleId}`,
        detail: expect.stringContaining(
          'PagerDuty puts dana on call from 2026-11-30 16:30 UTC to 2026-11-30 17:00 UTC, not bob',
        ),
      }),
    ]);
    expect(world.sandbox.emulators.github.statuses(mergeSha)).toEqual([
      expect.objectContaining({ state: 'failure', context: VERIFIED_STATUS_CONTEXT }),
    ]);
    expect(CHANGE.getTime()).toBe(at(0).getTime());
  });
});
