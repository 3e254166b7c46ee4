import { describe, expect, it } from 'vitest';
import { Narrator } from '../../src/demo/narrator.js';
import { LineBuffer } from '../../src/demo/run-command.js';
import { createStyle, wantsColour } from '../../src/demo/style.js';

describe('colour in the demo', () => {
  it.each([
    { isTTY: true, env: {}, colour: true },
    { isTTY: false, env: {}, colour: false },
    { isTTY: true, env: { NO_COLOR: '1' }, colour: false },
    { isTTY: true, env: { NO_COLOR: '' }, colour: true },
    { isTTY: false, env: { NO_COLOR: '1' }, colour: false },
  ])('terminal $isTTY, env $env → colour $colour', ({ isTTY, env, colour }) => {
    expect(wantsColour(isTTY, env)).toBe(colour);
  });

  it('styles with ANSI only when colour is on', () => {
    expect(createStyle(false).green('ok')).toBe('ok');
    expect(createStyle(true).green('ok')).toBe('\u001b[32mok\u001b[39m');
  });
});

describe('the narration', () => {
  it('numbers steps, sets command output off, and times each step with the injected clock', () => {
    let out = '';
    let now = 0;
    const narrator = new Narrator(
      (text) => (out += text),
      createStyle(false),
      () => now,
      7,
    );
    narrator.step(3, 'alice opens a pull request', 'why it matters');
    narrator.command(['plan', 'handovers/x.yaml']);
    narrator.output('Plan for handovers/x.yaml');
    now = 1500;
    narrator.ok('posted');
    expect(out).toBe(
      [
        '',
        'Step 3/7 · alice opens a pull request',
        '  why it matters',
        '  $ handover plan handovers/x.yaml',
        '  │ Plan for handovers/x.yaml',
        '  ✓ posted (1.5 s)',
        '',
      ].join('\n'),
    );
    expect(narrator.current).toBe('step 3 (alice opens a pull request)');
  });
});

describe('streaming a command’s output line by line', () => {
  it('holds a partial line until it is complete, and flushes the rest at the end', () => {
    const lines: string[] = [];
    const buffer = new LineBuffer((line) => lines.push(line));
    buffer.write('Step 0 · Pre');
    expect(lines).toEqual([]);
    buffer.write('flight\n  [done] a\n  [do');
    expect(lines).toEqual(['Step 0 · Preflight', '  [done] a']);
    buffer.write('ne] b');
    buffer.flush();
    expect(lines).toEqual(['Step 0 · Preflight', '  [done] a', '  [done] b']);
  });
});
