/** The Markdown the apply run writes besides the journals themselves. Pure; every untrusted value escaped. */

import { formatUtc } from '../../format.js';
import { escapeMarkdownInline } from '../../render/escape.js';
import type { Candidate } from './candidates.js';

/** What became of a manifest in this run, for the summary table. */
export type RunStatus =
  | { kind: 'executed'; outcome: 'done' | 'failed' | 'deferred'; dryRun: boolean }
  | { kind: 'not-executed' };

function linkOrText(label: string, url: string | undefined): string {
  return url && /^https?:\/\//.test(url)
    ? `[${label}](${url.replace(/[()<> ]/g, encodeURIComponent)})`
    : label;
}

export function refusalMarkdown(manifest: string, problems: string[], runUrl: string | undefined): string {
  const lines = [
    `### Handover ${escapeMarkdownInline(manifest)}: ⛔ refused`,
    '',
    'The executor refused this handover before doing anything: no PagerDuty, Slack or platform change was made, and it will not be retried.',
    '',
    ...problems.map((p) => `- ${escapeMarkdownInline(p)}`),
    '',
    'To hand over, open a new pull request that adds a new manifest, and have the incoming admin approve its final commit.',
  ];
  if (runUrl) lines.push('', linkOrText('Workflow run log', runUrl));
  return lines.join('\n');
}

export function heldMarkdown(manifest: string, problems: string[], runUrl: string | undefined): string {
  const lines = [
    `### Handover ${escapeMarkdownInline(manifest)}: ✋ held`,
    '',
    'The executor did not run this handover by itself and recorded nothing: a person must decide. Every run says so until then.',
    '',
    ...problems.map((p) => `- ${escapeMarkdownInline(p)}`),
  ];
  if (runUrl) lines.push('', linkOrText('Workflow run log', runUrl));
  return lines.join('\n');
}

function statusText(candidate: Candidate, status: RunStatus | undefined): string {
  const s = candidate.status;
  if (status?.kind === 'executed') {
    const mark = { done: '✅ done', failed: '❌ failed', deferred: '⏸️ deferred' }[status.outcome];
    return status.dryRun ? `dry run: ${mark}` : mark;
  }
  switch (s.kind) {
    case 'finished':
      return s.record.outcome === 'done' ? '☑️ done earlier' : '⛔ refused earlier';
    case 'refused':
      return s.pull ? '⛔ refused' : '⚠️ not from a pull request: never executed';
    case 'held':
      return '✋ held: needs a manual run';
    case 'unavailable':
      return '❌ could not be checked: retried by the next run';
    case 'ready':
      return 'not executed';
  }
}

export function candidateTable(candidates: Candidate[], statuses: Map<string, RunStatus>): string {
  if (candidates.length === 0)
    return '_No manifest to apply: none merged, or the ledger records them all as finished._';
  const rows = candidates.map((c) => {
    const pull = c.status.pull ? `#${c.status.pull.number}` : '—';
    return `| ${escapeMarkdownInline(c.path)} | ${pull} | ${formatUtc(c.landedAt)} | ${statusText(c, statuses.get(c.path))} |`;
  });
  return `| Manifest | Pull request | Merged | Status |\n|---|---|---|---|\n${rows.join('\n')}`;
}
