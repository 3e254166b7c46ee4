/**
 * The log-safety module, table-driven: each row is text we did not write and what each function makes of
 * it; every result is then read with both of the runner's command grammars (test/support/runner-commands),
 * which must find nothing in it.
 */
import { describe, expect, it } from 'vitest';
import {
  commandData,
  commandProperty,
  defuseLegacy,
  logValue,
  neutralizeLine,
  oneLogLine,
  safeLines,
  untrustedBlock,
  workflowCommand,
} from '../../src/render/log-safety.js';
import { runnerCommands } from '../support/runner-commands.js';

type Fn = (text: string) => string | string[];

const FUNCTIONS: Record<string, Fn> = {
  neutralizeLine,
  oneLogLine,
  safeLines,
  logValue,
  defuseLegacy,
};

/** [function, input, expected output] */
const TABLE: Array<[keyof typeof FUNCTIONS, string, string | string[]]> = [
  ['neutralizeLine', '::error::forged', '"::error::forged"'],
  ['neutralizeLine', '   ::add-mask::bob', '"   ::add-mask::bob"'],
  ['neutralizeLine', '\u0085\u00a0::stop-commands::x', '"\u0085\u00a0::stop-commands::x"'],
  ['neutralizeLine', 'a normal line :: with colons', 'a normal line :: with colons'],
  ['neutralizeLine', 'note ##[error title=Approved]yes', 'note ## [error title=Approved]yes'],
  ['neutralizeLine', '##[stop-commands]tok', '## [stop-commands]tok'],
  ['neutralizeLine', '###[add-mask]x ##[[warning]y', '### [add-mask]x ## [[warning]y'],
  ['neutralizeLine', ' ::##[error]x::y', '" ::## [error]x::y"'],
  ['oneLogLine', 'ok\n::error::forged', 'ok ::error::forged'],
  ['oneLogLine', '\n::error::forged', '" ::error::forged"'],
  ['oneLogLine', '\r::add-mask::x', '" ::add-mask::x"'],
  ['oneLogLine', 'a\u2028::warning::b\u0085c', 'a ::warning::b c'],
  [
    'safeLines',
    'plan\n::error title=Approved::yes\r\n  ::add-mask::alice\u2028::warning::x\rz ##[error]w\n',
    ['plan', '"::error title=Approved::yes"', '"  ::add-mask::alice"', '"::warning::x"', 'z ## [error]w'],
  ],
  ['safeLines', '', []],
  [
    'logValue',
    'ok\n::add-mask::secret\n::error title=Approved::x',
    '"ok\\n::add-mask::secret\\n::error title=Approved::x"',
  ],
  ['logValue', '##[error]x', '"## [error]x"'],
  ['defuseLegacy', '##[##[', '## [## ['],
];

describe('log safety', () => {
  it.each(TABLE)('%s(%j) is %j', (name, input, expected) => {
    const output = FUNCTIONS[name]!(input);
    expect(output).toEqual(expected);
    // Whatever the function, nothing it returns is a command in either grammar.
    const text = Array.isArray(output) ? output.join('\n') : output;
    expect(runnerCommands(text)).toEqual([]);
  });

  it.each([
    [commandData('50% done\r\nnext ##[error]x'), '50%25 done%0D%0Anext ## [error]x'],
    [commandProperty('a,b:c%\n'), 'a%2Cb%3Ac%25%0A'],
    [
      workflowCommand('error', 'x\n::add-mask::y', { file: 'a:b', line: 3, col: undefined }),
      '::error file=a%3Ab,line=3::x%0A::add-mask::y',
    ],
    [workflowCommand('endgroup', ''), '::endgroup::'],
  ])('builds our own command parts: %j', (output, expected) => {
    expect(output).toBe(expected);
  });

  it('is one command of ours per workflowCommand, whatever the text inside', () => {
    const line = workflowCommand('warning', '##[add-mask]s\r\n::error::forged', { title: 'x ##[y]' });
    expect(runnerCommands(line).map((c) => c.name)).toEqual(['warning']);
  });

  it('wraps a block in stop-commands with a token the text cannot know, and resumes after it', () => {
    const hostile = 'a\n::stop-commands::guess\n##[add-mask]b\n::guess::\n::error::c';
    const block = untrustedBlock(hostile);
    const token = block[0]!.slice('::stop-commands::'.length);
    expect(token).toMatch(/^handover-[0-9a-f]{32}$/);
    expect(block.at(-1)).toBe(`::${token}::`);
    expect(untrustedBlock(hostile)[0]).not.toBe(block[0]);
    const commands = runnerCommands([...block, '::error::ours'].join('\n'));
    expect(commands.map((c) => c.name)).toEqual(['stop-commands', 'resume', 'error']);
    expect(commands.at(-1)!.data).toBe('ours');
    expect(untrustedBlock('')).toEqual([]);
  });
});
