import { afterEach, describe, expect, it } from 'vitest';
import { renderJournalMarkdown } from '../../src/journal/index.js';
import { createConsoleReporter } from '../../src/runbook/runtime/reporter.js';
import { SEED_INCIDENTS } from '../../src/sandbox/pagerduty.js';
import { CHANNEL, createWorld, fullManifest, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const HOSTILE_INCIDENT = 'Q8HOSTILE00001';
const HOSTILE = '<!channel> <@U123> <https://evil.example|click here> @here | table | <#C0GENERAL1> &';

function hostileManifest() {
  const manifest = fullManifest();
  manifest.incidents[0] = { ...manifest.incidents[0]!, title: HOSTILE };
  manifest.incidents[1] = {
    id: HOSTILE_INCIDENT,
    // No title in the manifest: the summary uses PagerDuty's, which is hostile too (see arrange).
    status: {
      hypothesis: 'The disk filled up @here and | table | cells broke',
      lastAction: '::error title=Approved::forged line from the manifest',
      nextAction: 'Ping @channel and then\n::add-mask::hide the rest of the log',
    },
  };
  manifest.rollouts[0] = { ...manifest.rollouts[0]!, nextStep: `Ramp to 50% tomorrow ${HOSTILE}` };
  return manifest;
}

describe('manifest and service text is data everywhere it goes', () => {
  it('cannot ping, mention, link or break a table in Slack, the log or the journal', async () => {
    world = await createWorld({
      manifest: hostileManifest(),
      arrange: (sandbox) => {
        // A hostile title written into PagerDuty by someone else; the disk incident it replaces is gone.
        const pd = sandbox.emulators.pagerduty;
        pd.resolveIncident(SEED_INCIDENTS.buildRunnerDisk);
        pd.addIncident({ id: HOSTILE_INCIDENT, title: HOSTILE, assigneeIds: ['PUSR001'] });
      },
    });

    let out = '';
    const reporter = createConsoleReporter((text) => (out += text), { githubActions: true });
    const result = await world.apply({ reporter });
    expect(result.exitCode).toBe(0);

    // Slack: every post of ours, as the emulator stored it.
    const ours = world.sandbox.emulators.slack.messages(CHANNEL).filter((m) => m.metadata !== null);
    expect(ours.length).toBeGreaterThanOrEqual(2);
    for (const message of ours) {
      expect(message.text).not.toMatch(/<!(channel|here|everyone|subteam)/);
      expect(message.text).not.toMatch(/<#C/);
      expect(message.text).not.toMatch(/<https?:/);
      const mentions = [...message.text.matchAll(/<@([A-Z0-9]+)>/g)].map((m) => m[1]);
      expect(mentions.every((id) => id === 'U0ALICE' || id === 'U0BOB')).toBe(true);
      expect(message.flags).toMatchObject({ linkNames: 'false', parse: 'none' });
    }
    const details = ours.find((m) => m.metadata?.event_type === 'handover_details')!;
    expect(details.text).toContain('&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click here&gt;');

    // The log: no line starts a workflow command except our own groups and annotations.
    const lines = out.split('\n').filter(Boolean);
    const commands = lines.filter((line) => line.startsWith('::'));
    expect(commands.every((line) => /^::(group|endgroup|warning|error)::/.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('::add-mask::'))).toBe(false);

    // The journal table: one row per action, five cells each, no raw HTML, mentions or links.
    const md = renderJournalMarkdown(result.journal!);
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Step |'));
    expect(rows).toHaveLength(result.journal!.actions.length);
    for (const row of rows) expect(row.slice(2, -2).split(/(?<!\\)\|/)).toHaveLength(5);
    expect(md).not.toMatch(/<!channel>|<@U123>|@here|\]\(https:\/\/evil/);
  });
});
