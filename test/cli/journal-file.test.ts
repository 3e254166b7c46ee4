import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalFile } from '../../src/cli/journal-file.js';
import { JournalRecorder } from '../../src/journal/recorder.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the --journal file of a running apply', () => {
  it('appends each action in place while the clock moves (a new finishedAt is no header change)', () => {
    dir = mkdtempSync(join(tmpdir(), 'handover-journal-'));
    const path = join(dir, 'journal.json');
    let now = Date.parse('2026-11-26T15:00:00Z');
    const tick = () => {
      now += 7;
      return new Date(now);
    };
    const recorder = new JournalRecorder(
      { id: 'h1', manifestSha256: 'abc', dryRun: false },
      tick,
      new Date(now),
    );
    const file = new JournalFile(path);
    recorder.subscribe((journal) => file.update(journal));
    // Held open from the start: a file rewritten whole (beside, then renamed over) leaves this one behind.
    const first = openSync(path, 'r');
    for (let n = 1; n <= 200; n += 1)
      recorder.record({ step: 'incidents', target: `item ${n}`, action: 'a', outcome: 'done', detail: 'd' });
    expect(JSON.parse(readFileSync(first, 'utf8')).actions).toHaveLength(200);
    closeSync(first);
    expect(JSON.parse(readFileSync(path, 'utf8')).actions).toHaveLength(200);
    file.finish(recorder.finish());
    const finished = JSON.parse(readFileSync(path, 'utf8'));
    expect(Date.parse(finished.finishedAt)).toBeGreaterThan(Date.parse(finished.startedAt));
  });

  it('is one whole JSON document after every action and header change, and the finished journal at the end', () => {
    dir = mkdtempSync(join(tmpdir(), 'handover-journal-'));
    const path = join(dir, 'journal.json');
    const recorder = new JournalRecorder(
      { id: 'h1', manifestSha256: 'abc', dryRun: false },
      () => new Date('2026-11-26T15:00:00Z'),
      new Date('2026-11-26T15:00:00Z'),
    );
    const file = new JournalFile(path);
    recorder.subscribe((journal) => file.update(journal));
    const read = () => JSON.parse(readFileSync(path, 'utf8'));
    expect(read()).toMatchObject({ id: 'h1', outcome: 'running', actions: [] });
    const record = (step: 'incidents' | 'tickets', n: number) =>
      recorder.record({ step, target: `item ${n} "q\\"uote"`, action: 'a', outcome: 'done', detail: 'd\nx' });
    record('tickets', 1);
    expect(read().actions).toHaveLength(1);
    recorder.setAcknowledgement({ pullRequest: 7, approver: 'bob', approvedSha: 'f00', verified: true });
    expect(read()).toMatchObject({
      pullRequest: 7,
      acknowledgementVerified: true,
      actions: [{ step: 'tickets' }],
    });
    for (let n = 2; n <= 50; n += 1) {
      record(n % 2 === 0 ? 'incidents' : 'tickets', n);
      expect(read().actions).toHaveLength(n);
    }
    expect(read().actions.at(-1)).toMatchObject({ target: 'item 50 "q\\"uote"', detail: 'd x' });
    file.finish(recorder.finish());
    const finished = read();
    expect(finished.outcome).toBe('done');
    expect(finished.actions.map((a: { step: string }) => a.step).slice(0, 25)).toEqual(
      Array.from({ length: 25 }, () => 'incidents'),
    );
  });
});
