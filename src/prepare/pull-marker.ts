/**
 * What prepare writes into its pull request's body so that a later run recognises the pull request and
 * the shift change it is for, and the marked comment that records what prepare already did on it.
 * Only pull requests the configured bot authored are read this way: anyone can type a marker.
 */

export interface PreparedChange {
  /** The shift change (ISO, seconds, `Z`). */
  change: string;
  outgoing: string;
  incoming: string;
  /** Repo-relative manifest path. */
  manifest: string;
}

const MARKER = /<!-- handover-prepare (\{[^\n]*\}) -->/;

export function changeMarker(change: PreparedChange): string {
  return `<!-- handover-prepare ${JSON.stringify(change)} -->`;
}

export function readChangeMarker(body: string): PreparedChange | null {
  const match = MARKER.exec(body);
  if (!match) return null;
  try {
    const value = JSON.parse(match[1]!) as Record<string, unknown>;
    const { change, outgoing, incoming, manifest } = value;
    if ([change, outgoing, incoming, manifest].every((v) => typeof v === 'string'))
      return value as unknown as PreparedChange;
  } catch {
    // a marker someone edited by hand: not ours any more
  }
  return null;
}

/** What prepare did on one pull request, kept in one marked comment on it (the record survives runners). */
export interface PrepareRecord {
  /** Slack ts of the announcement to the outgoing admin, in the channel. */
  announced?: string;
  /** Slack ts of the reminder (in the announcement's thread). */
  reminded?: string;
  /** Slack ts of the escalation message in the channel. */
  escalated?: string;
  /** The override keeping the outgoing admin on call. */
  held?: string;
  /** The incident that paged the incoming admin, or `already-open`. */
  paged?: string;
}

export const RECORD_MARKER = '<!-- handover-prepare-record -->';

export function renderRecord(record: PrepareRecord, lines: string[]): string {
  return [
    RECORD_MARKER,
    '**handover prepare** keeps this comment up to date: what it did on this pull request.',
    '',
    ...lines.map((line) => `- ${line}`),
    '',
    `<!-- handover-prepare-state ${JSON.stringify(record)} -->`,
  ].join('\n');
}

export function readRecord(body: string | undefined): PrepareRecord {
  const match = /<!-- handover-prepare-state (\{[^\n]*\}) -->/.exec(body ?? '');
  if (!match) return {};
  try {
    const value = JSON.parse(match[1]!) as Record<string, unknown>;
    const record: PrepareRecord = {};
    for (const key of ['announced', 'reminded', 'escalated', 'held', 'paged'] as const)
      if (typeof value[key] === 'string') record[key] = value[key] as string;
    return record;
  } catch {
    return {};
  }
}
