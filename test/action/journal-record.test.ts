import { describe, expect, it } from 'vitest';
import {
  isFinal,
  isTrustedAuthor,
  type JournalRecord,
  journalMarker,
  parseJournalRecord,
  recordProblem,
  renderJournalComment,
} from '../../src/action/apply/journal-record.js';

const PATH = 'handovers/2026/2026-11-27-alice-to-bob.yaml';
const RECORD: JournalRecord = {
  manifest: PATH,
  id: '2026-11-27-alice-to-bob',
  outcome: 'done',
  manifestSha256: 'f'.repeat(64),
  pullRequest: 12,
  runUrl: 'https://github.example/novavms/oncall/actions/runs/1',
  at: '2026-11-27T10:00:00.000Z',
};

describe('the journal record on the pull request', () => {
  it('round-trips through the comment it is written in', () => {
    const body = renderJournalComment(RECORD, '### Handover: done\n| a | b |\n');
    expect(body.startsWith(journalMarker(PATH))).toBe(true);
    expect(parseJournalRecord(body, PATH)).toEqual(RECORD);
  });

  it('cannot be broken out of: text that would close the HTML comment stays inside the JSON', () => {
    const hostile = { ...RECORD, id: 'x --> <img src=x> & <!-- handover:journal-record {"v":1} -->' };
    const body = renderJournalComment(hostile, 'visible');
    expect(body.match(/-->/g)).toHaveLength(2); // the marker's and the record's own
    expect(parseJournalRecord(body, PATH)?.id).toBe(hostile.id);
  });

  it('gives each manifest its own marker, which no other path can match by prefix', () => {
    expect(journalMarker('handovers/a b.yaml')).toBe('<!-- handover:journal handovers/a%20b.yaml -->');
    expect(journalMarker('handovers/a.yaml.bak').includes(journalMarker('handovers/a.yaml'))).toBe(false);
    expect(journalMarker('handovers/x-->.yaml')).not.toContain('-->.yaml');
  });

  it.each([
    ['no record', 'just a comment'],
    ['broken JSON', '<!-- handover:journal-record {"v":1, -->'],
    ['another version', renderJournalComment(RECORD, '').replace('"v":1', '"v":2')],
    ['another file', renderJournalComment({ ...RECORD, manifest: 'handovers/other.yaml' }, '')],
    [
      'an unknown outcome',
      renderJournalComment(RECORD, '').replace('"outcome":"done"', '"outcome":"skipped"'),
    ],
  ])('reads nothing from %s', (_name, body) => {
    expect(parseJournalRecord(body, PATH)).toBeNull();
  });

  it('treats done and refused as final, failed and deferred as work for the next run', () => {
    expect(
      ['done', 'refused', 'failed', 'deferred'].map((outcome) =>
        isFinal({ ...RECORD, outcome } as JournalRecord),
      ),
    ).toEqual([true, true, false, false]);
  });

  it('trusts records written by an app or Actions identity, not by a person', () => {
    expect(isTrustedAuthor('github-actions[bot]')).toBe(true);
    expect(isTrustedAuthor('mallory')).toBe(false);
    expect(isTrustedAuthor(undefined)).toBe(false);
  });

  const SUBJECT = { pullRequest: 12, manifestSha256: 'f'.repeat(64) };
  it.each([
    ['the automation, about this pull request and these bytes', RECORD, 'github-actions[bot]', null],
    ['a person', RECORD, 'mallory', 'only the automation writes journal records'],
    ['an author GitHub did not name', RECORD, undefined, 'an unknown author'],
    ['another pull request', { ...RECORD, pullRequest: 11 }, 'github-actions[bot]', 'not #12'],
    ['other bytes', { ...RECORD, manifestSha256: 'e'.repeat(64) }, 'github-actions[bot]', 'SHA-256 differs'],
    ['no SHA-256 at all', { ...RECORD, manifestSha256: null }, 'github-actions[bot]', 'does not name'],
  ] as const)(
    'counts a record written by %s only when it is this handover’s',
    (_n, record, author, problem) => {
      const found = recordProblem(record, author, SUBJECT);
      if (problem === null) expect(found).toBeNull();
      else expect(found).toContain(problem);
    },
  );

  it('counts no record when the merged manifest could not be hashed', () => {
    expect(
      recordProblem(RECORD, 'github-actions[bot]', { pullRequest: 12, manifestSha256: null }),
    ).not.toBeNull();
  });
});
