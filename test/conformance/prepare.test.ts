import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_ADMINS, SEED_IDS } from '../../src/sandbox/roster.js';
import { at, HOUR, type PrepareWorld, startPrepareWorld } from '../prepare/world.js';
import { rawPagerDuty } from '../sandbox/pagerduty-helpers.js';
import { requestsTo } from '../support/sandbox.js';
import { loadGitHubDescription } from './github-openapi.js';
import { loadPagerDutyDescription } from './pagerduty-openapi.js';

/**
 * What `handover prepare` and the "handover verified" status need from the sandbox, checked against the
 * published descriptions: GitHub's (git data, pull requests, reviewers, assignees, statuses) and
 * PagerDuty's (the schedule's final layer, on-calls, incident creation). Both the emulator's answers and
 * our providers' requests.
 */
const github = loadGitHubDescription();
const pagerduty = loadPagerDutyDescription();
const MINUTE = 60 * 1000;

describe.skipIf(!github || !pagerduty)(
  'prepare’s endpoints conform to GitHub’s and PagerDuty’s descriptions',
  () => {
    let world: PrepareWorld;
    const answers: { method: string; path: string; status: number; body: unknown }[] = [];
    let client: Octokit;

    beforeAll(async () => {
      world = await startPrepareWorld();
      // The providers' traffic: a pull request opened, reminded, escalated (an override, a page).
      await world.prepare(at(-3 * HOUR));
      await world.prepare(at(-30 * MINUTE));
      await world.prepare(at(5 * MINUTE));
      const base = world.sandbox.urls.github;
      client = new Octokit({
        auth: world.sandbox.tokens.github,
        baseUrl: base,
        log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
        request: {
          fetch: async (input: string | URL | Request, init?: RequestInit) => {
            const response = await fetch(input, init);
            const text = await response.clone().text();
            answers.push({
              method: (init?.method ?? 'GET').toUpperCase(),
              path: new URL(String(input)).pathname.slice(new URL(base).pathname.length),
              status: response.status,
              body: text ? JSON.parse(text) : undefined,
            });
            return response;
          },
        },
      });
    });
    afterAll(() => world.close());

    it('every GitHub request the providers sent is a declared operation with a body of its shape', () => {
      const sent = requestsTo(world.sandbox, 'github');
      expect(sent.length).toBeGreaterThan(10);
      expect(sent.flatMap((request) => github!.checkRequest(request))).toEqual([]);
    });

    it('every PagerDuty request the providers sent is declared, headers and body included', () => {
      const sent = requestsTo(world.sandbox, 'pagerduty').filter(
        (r) => r.path.startsWith('/schedules') || r.path === '/incidents' || r.path === '/oncalls',
      );
      expect(sent.some((r) => r.method === 'POST' && r.path === '/incidents')).toBe(true);
      expect(
        sent.some((r) => r.method === 'GET' && r.path === `/schedules/${SEED_IDS.pagerdutyScheduleId}`),
      ).toBe(true);
      expect(sent.flatMap((request) => pagerduty!.checkRequest(request))).toEqual([]);
    });

    it('the git data, pull request, reviewer, assignee and status answers have GitHub’s shapes, errors included', async () => {
      const owner = SEED_IDS.githubOwner;
      const repo = SEED_IDS.githubRepo;
      const { data: main } = await client.git.getRef({ owner, repo, ref: 'heads/main' });
      const { data: blob } = await client.git.createBlob({
        owner,
        repo,
        content: 'hello\n',
        encoding: 'utf-8',
      });
      await client.git.getBlob({ owner, repo, file_sha: blob.sha });
      const { data: commit } = await client.git.getCommit({ owner, repo, commit_sha: main.object.sha });
      const { data: tree } = await client.git.createTree({
        owner,
        repo,
        base_tree: commit.tree.sha,
        tree: [{ path: 'handovers/2026/x.yaml', mode: '100644', type: 'blob', sha: blob.sha }],
      });
      const { data: next } = await client.git.createCommit({
        owner,
        repo,
        message: 'x',
        tree: tree.sha,
        parents: [main.object.sha],
      });
      await client.git.createRef({ owner, repo, ref: 'refs/heads/conformance', sha: next.sha });
      await client.git.updateRef({ owner, repo, ref: 'heads/conformance', sha: next.sha, force: false });
      const { data: pull } = await client.pulls.create({
        owner,
        repo,
        head: 'conformance',
        base: 'main',
        title: 't',
      });
      await client.pulls.list({ owner, repo, state: 'all', per_page: 100 });
      await client.pulls.requestReviewers({
        owner,
        repo,
        pull_number: pull.number,
        reviewers: [SEED_ADMINS.bob.github],
      });
      await client.issues.addAssignees({
        owner,
        repo,
        issue_number: pull.number,
        assignees: [SEED_ADMINS.alice.github],
      });
      await client.pulls.update({ owner, repo, pull_number: pull.number, title: 'u' });
      await client.repos.createCommitStatus({
        owner,
        repo,
        sha: next.sha,
        state: 'success',
        context: 'c',
        description: 'd',
      });
      await client.repos.listCommitStatusesForRef({ owner, repo, ref: next.sha });
      await client.repos.getCombinedStatusForRef({ owner, repo, ref: next.sha });
      // Refusals: an existing ref, a second pull request for the branch, a status on no commit.
      const refusals = [
        () => client.git.createRef({ owner, repo, ref: 'refs/heads/conformance', sha: next.sha }),
        () => client.pulls.create({ owner, repo, head: 'conformance', base: 'main', title: 't' }),
        () => client.repos.createCommitStatus({ owner, repo, sha: '0'.repeat(40), state: 'success' }),
        () => client.git.getRef({ owner, repo, ref: 'heads/no-such-branch' }),
      ];
      for (const refusal of refusals)
        await refusal().then(
          () => expect.unreachable(),
          () => undefined,
        );
      expect(answers.filter((a) => a.status >= 400).map((a) => a.status)).toEqual([422, 422, 422, 404]);
      expect(answers.flatMap((a) => github!.checkAnswer(a.method, a.path, a.status, a.body))).toEqual([]);
    });

    it('GET /schedules/{id} (final layer over a range) and POST /incidents answer with PagerDuty’s shapes', async () => {
      const schedule = `/schedules/${SEED_IDS.pagerdutyScheduleId}`;
      const range = { since: at(-HOUR).toISOString(), until: at(HOUR).toISOString() };
      const answered = [
        ['GET', schedule, await rawPagerDuty(world.sandbox, 'GET', schedule, { query: range })],
        ['GET', schedule, await rawPagerDuty(world.sandbox, 'GET', schedule, {})],
        ['GET', '/schedules/PNOSUCH', await rawPagerDuty(world.sandbox, 'GET', '/schedules/PNOSUCH', {})],
        [
          'POST',
          '/incidents',
          await rawPagerDuty(world.sandbox, 'POST', '/incidents', {
            from: SEED_ADMINS.alice.email,
            body: {
              incident: {
                type: 'incident',
                title: 'conformance',
                service: { id: SEED_IDS.pagerdutyServiceId, type: 'service_reference' },
                assignments: [{ assignee: { id: SEED_ADMINS.bob.pagerduty, type: 'user_reference' } }],
              },
            },
          }),
        ],
      ] as const;
      expect(answered.map(([, , a]) => a.status)).toEqual([200, 200, 404, 201]);
      const final = (
        answered[0][2].data as { schedule: { final_schedule: { rendered_schedule_entries: unknown[] } } }
      ).schedule.final_schedule.rendered_schedule_entries;
      // alice's turn, bob's from the change, then alice again: the escalation kept her on call from 16:05.
      expect(final).toHaveLength(3);
      expect(
        answered.flatMap(([method, path, a]) => pagerduty!.checkResponse(method, path, a.status, a.data)),
      ).toEqual([]);
    });
  },
);
