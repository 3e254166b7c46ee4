import { describe, expect, it } from 'vitest';
import {
  isAuthentic,
  isFinal,
  type JournalRecord,
  journalMarker,
  judgeRecord,
  parseJournalRecord,
  renderJournalComment,
} from '../../src/action/apply/journal-record.js';

const KEY = 'k'.repeat(64);

const PATH = 'handovers/2026/2026-11-27-alice-to-bob.yaml';
const RECORD: JournalRecord = {
  manifest: PATH,
  id: '2026-11-27-alice-to-bob',
  outcome: 'done',
  manifestSha256: 'f'.repeat(64),
  journalSha256: 'a'.repeat(64),
  pullRequest: 12,
  commit: 'c'.repeat(40),
  runUrl: 'https://github.example/novavms/oncall/actions/runs/1',
  at: '2026-11-27T10:00:00.000Z',
  manualBy: null,
  heldBehind: [],
};

function read(body: string) {
  const record = parseJournalRecord(body, PATH);
  if (!record) throw new Error('no record');
  return record;
}

describe('the journal record on the pull request', () => {
  it('round-trips through the comment it is written in', () => {
    const body = renderJournalComment(RECORD, '### Handover: done\n| a | b |\n', KEY);
    expect(body.startsWith(journalMarker(PATH))).toBe(true);
    const { mac, ...fields } = read(body);
    expect(fields).toEqual(RECORD);
    expect(isAuthentic({ ...fields, mac }, KEY)).toBe(true);
  });

  it('cannot be broken out of: text that would close the HTML comment stays inside the JSON', () => {
    const hostile = { ...RECORD, id: 'x --> <img src=x> & <!-- handover:journal-record {"v":1} -->' };
    const body = renderJournalComment(hostile, 'visible', KEY);
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
    ['another file', renderJournalComment({ ...RECORD, manifest: 'handovers/other.yaml' }, '', KEY)],
    [
      'an unknown outcome',
      renderJournalComment(RECORD, '', KEY).replace('"outcome":"done"', '"outcome":"skipped"'),
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

  const SUBJECT = { pullRequest: 12, commit: 'c'.repeat(40), manifestSha256: 'f'.repeat(64) };
  const signed = read(renderJournalComment(RECORD, '', KEY));
  const edit = (body: string, from: string, to: string) => read(body.replace(from, to));
  const body = renderJournalComment(RECORD, '', KEY);
  it.each([
    ['the key holder, about this pull request, merge and bytes', signed, 'counts', null],
    [
      'an edit of the outcome',
      edit(body, '"outcome":"done"', '"outcome":"failed"'),
      'forged',
      'does not verify',
    ],
    ['an edit of the hash', edit(body, 'f'.repeat(64), 'e'.repeat(64)), 'forged', 'does not verify'],
    [
      'a record signed with another key',
      read(renderJournalComment(RECORD, '', 'x'.repeat(64))),
      'forged',
      'does not verify',
    ],
    [
      'a record without a MAC (the old format, or a forgery)',
      { ...signed, mac: null },
      'forged',
      'no ledger MAC',
    ],
    ['a MAC that is not hex', { ...signed, mac: 'zz' }, 'forged', 'does not verify'],
    [
      'another pull request',
      read(renderJournalComment({ ...RECORD, pullRequest: 11 }, '', KEY)),
      'not-this',
      'not #12',
    ],
    [
      'another merge of the path',
      read(renderJournalComment({ ...RECORD, commit: 'd'.repeat(40) }, '', KEY)),
      'not-this',
      'another merge',
    ],
    [
      'other bytes',
      read(renderJournalComment({ ...RECORD, manifestSha256: 'e'.repeat(64) }, '', KEY)),
      'not-this',
      'SHA-256 differs',
    ],
  ] as const)('judges a record written by %s', (_n, record, kind, problem) => {
    const verdict = judgeRecord(record, KEY, SUBJECT);
    expect(verdict.kind).toBe(kind);
    if (problem !== null && verdict.kind !== 'counts') expect(verdict.problem).toContain(problem);
  });

  it('counts no record when the merged manifest could not be hashed', () => {
    expect(judgeRecord(signed, KEY, { ...SUBJECT, manifestSha256: null }).kind).toBe('not-this');
  });
});
