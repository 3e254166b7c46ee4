import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderJournalMarkdown } from '../journal/index.js';
import { type DemoContext, required } from './context.js';
import { readJournal } from './journals.js';
import { handoverNotes, summaryPost, threadReplies } from './world.js';

/** `incident "Q1ABCDEF12345"` → `Q1ABCDEF12345`: journal targets quote their untrusted part as JSON. */
function incidentId(target: string): string | undefined {
  const quoted = /^incident (".*")$/.exec(target)?.[1];
  if (quoted === undefined) return undefined;
  const value: unknown = JSON.parse(quoted);
  return typeof value === 'string' ? value : undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

/** Step 7: the files left behind, and what Slack, PagerDuty and GitHub now show. */
export async function showResults(context: DemoContext): Promise<void> {
  const { narrator, sandbox, dir } = context;
  const manifest = required(context.manifest, 'the manifest');
  const number = required(context.pullRequest, 'the pull request');
  narrator.step(
    7,
    'what the team sees',
    'Everything the handover did is recorded: in the services themselves, in the journal, in the job summary and on the pull request.',
  );
  const journal = readJournal(join(dir, 'journal.json'));
  writeFileSync(join(dir, 'summary.md'), renderJournalMarkdown(journal));
  const comment = sandbox.emulators.github.comments(number).at(-1);
  if (comment) writeFileSync(join(dir, 'pr-comment.md'), comment.body);
  sandbox.save(join(dir, 'sandbox-state.json'));

  const files: Array<[string, string]> = [
    [manifest.repoPath, 'the manifest, as merged'],
    [
      'journal.json',
      `the journal of the first apply (outcome ${journal.outcome}, ${journal.actions.length} actions)`,
    ],
    ['journal-rerun.json', 'the journal of the second apply'],
    ['summary.md', 'the job summary: the journal as a Markdown table'],
    ['plan.md', 'the plan as Markdown'],
    ...(comment
      ? ([['pr-comment.md', `the plan comment on pull request #${number}`]] as Array<[string, string]>)
      : []),
    ['sandbox-state.json', 'the whole sandbox world afterwards (no tokens)'],
  ];
  narrator.say(narrator.style.bold(`Files in ${dir}:`));
  const width = Math.max(...files.map(([name]) => name.length));
  for (const [name, what] of files) narrator.say(`  ${name.padEnd(width)}  ${what}`);

  const post = summaryPost(sandbox, context.slackChannel);
  if (post) {
    narrator.line();
    narrator.say(narrator.style.bold(`Slack, #${context.slackChannelName}:`));
    narrator.output(firstLine(post.text));
    const replies = threadReplies(sandbox, context.slackChannel, post.ts);
    const reactions = post.reactions.map((reaction) => `:${reaction.name}: × ${reaction.users.length}`);
    narrator.output(
      `└ ${replies.length} ${replies.length === 1 ? 'reply' : 'replies'} with the details in the thread; reactions: ${reactions.join(', ') || 'none'}`,
    );
  }

  const incident = journal.actions
    .filter((action) => action.step === 'incidents')
    .map((action) => incidentId(action.target))
    .find((id) => id !== undefined);
  if (incident) {
    narrator.line();
    narrator.say(narrator.style.bold(`PagerDuty, the notes on incident ${incident}:`));
    for (const note of handoverNotes(sandbox, incident, manifest.id))
      for (const line of note.content.split('\n')) narrator.output(line);
  }
  narrator.line();
  narrator.say(narrator.style.bold(`GitHub, pull request #${number}:`));
  narrator.output(
    `merged by ${context.outgoing.handle}, approved by ${context.incoming.handle}; the plan comment reads:`,
  );
  const heading = (comment?.body ?? '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('<!--'))
    .slice(0, 2);
  for (const line of heading) narrator.output(`  ${line}`);
}
