import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runDemo } from '../../src/demo/run.js';
import { captureIO } from '../support/cli-io.js';

describe('handover demo when something goes wrong', () => {
  let parent: string;

  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'handover-demo-fail-'));
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('stops at the failing step with one clear line, exit 1, no stack trace, and the sandbox closed', async () => {
    // An empty world: PagerDuty has no schedule, so init cannot read live state.
    const io = captureIO(parent);
    const code = await runDemo({ dir: join(parent, 'run'), sandbox: { seed: 'empty' } }, io);

    expect(code).toBe(1);
    expect(io.err).toMatch(
      /^handover demo: step 1 \(alice drafts the handover from live state\) failed: handover init exited 1, expected 0/,
    );
    expect(io.err.trim().split('\n')).toHaveLength(2);
    expect(io.err).toContain(`the files so far are in ${join(parent, 'run')}`);
    expect(`${io.out}${io.err}`).not.toMatch(/\n\s+at /);
    expect(io.out).not.toContain('Step 2/7');

    const url = /sandbox: (http:\/\/127\.0\.0\.1:\d+)/.exec(io.out)?.[1];
    expect(url).toBeDefined();
    await expect(fetch(`${url}/_sandbox/faults`)).rejects.toThrow();
  });

  it.each([
    ['a folder with files in it', 'not empty'],
    ['a file', 'not a folder'],
  ])('refuses --dir pointing at %s (exit 2), touching nothing', async (kind, message) => {
    const target = join(parent, 'target');
    if (kind === 'a file') writeFileSync(target, 'mine');
    else {
      mkdirSync(target);
      writeFileSync(join(target, 'notes.txt'), 'mine');
    }
    const io = captureIO(parent);
    expect(await main(['demo', '--dir', target], io)).toBe(2);
    expect(io.err).toContain(message);
    expect(io.out).toBe('');
  });

  it('refuses arguments it does not know (exit 2)', async () => {
    const io = captureIO(parent);
    expect(await main(['demo', '--fast'], io)).toBe(2);
    expect(io.err).toMatch(/^handover demo: .*--fast/);
  });
});
