import { describe, expect, it } from 'vitest';
import { escapeMarkdownInline, escapeSlack, fenceMarkdown } from '../../src/render/escape.js';

describe('escapeSlack keeps manifest text from becoming Slack markup', () => {
  it.each([
    ['<!channel> wake up', '&lt;!channel&gt; wake up'],
    ['<!here|here>', '&lt;!here|here&gt;'],
    ['ping <@U0BOB>', 'ping &lt;@U0BOB&gt;'],
    ['<#C0PLATOPS>', '&lt;#C0PLATOPS&gt;'],
    ['<!subteam^S123>', '&lt;!subteam^S123&gt;'],
    ['<https://evil.example|click here>', '&lt;https://evil.example|click here&gt;'],
    ['a & b', 'a &amp; b'],
    ['already &lt; escaped', 'already &amp;lt; escaped'],
    ['plain text stays', 'plain text stays'],
  ])('%j → %j', (input, expected) => {
    expect(escapeSlack(input)).toBe(expected);
    expect(escapeSlack(input)).not.toMatch(/<[!@#h]/);
  });
});

describe('escapeMarkdownInline keeps text inside one table cell', () => {
  it.each([
    ['| injected | cell |', '\\| injected \\| cell \\|'],
    ['ping @org/team', 'ping @\u200borg/team'],
    ['<details><summary>✅ approved</summary>', '&lt;details&gt;&lt;summary&gt;✅ approved&lt;/summary&gt;'],
    ['![x](https://evil.example/a.png)', '\\!\\[x\\]\\(https:\u200b//evil.example/a.png\\)'],
    ['line one\nline two', 'line one line two'],
    ['`code`', '\\`code\\`'],
  ])('%j → %j', (input, expected) => {
    expect(escapeMarkdownInline(input)).toBe(expected);
  });
});

describe('fenceMarkdown cannot be closed early', () => {
  it('uses a fence longer than any backtick run inside', () => {
    const inner = 'before\n````\nafter';
    const fenced = fenceMarkdown(inner);
    expect(fenced.startsWith('`````text\n')).toBe(true);
    expect(fenced.endsWith('\n`````')).toBe(true);
  });
  it('defuses mentions inside the block', () => {
    expect(fenceMarkdown('@here')).toContain('@\u200bhere');
  });
});
