/**
 * Text from a manifest, PagerDuty or a ticket is data everywhere it goes (docs/design.md#what-apply-does). These functions
 * make it inert for each place it is written. Pure; table-tested in test/render/escape.test.ts. The
 * Actions log is a place of its own: render/log-safety.ts.
 */

/**
 * Slack mrkdwn: only `&`, `<`, `>` are control characters (ampersand first). That neutralises
 * `<!channel>`, `<@U…>`, `<#C…>`, `<!subteam^…>` and `<url|label>`. Mentions we mean are built by the
 * caller after escaping. Messages are sent with link_names=false and parse=none, so a bare `@here` stays text.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const ZERO_WIDTH_SPACE = '\u200b';

/**
 * GitHub Markdown inline text, e.g. a table cell: no HTML, no table breakage, no @-mentions (GitHub
 * ignores `\@`, so a zero-width space goes after `@`), no links or images, one line.
 */
export function escapeMarkdownInline(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(/[\\`*_{}[\]()#+!|~<>&]/g, (c) => {
      if (c === '<') return '&lt;';
      if (c === '>') return '&gt;';
      if (c === '&') return '&amp;';
      return `\\${c}`;
    })
    .replace(/@/g, `@${ZERO_WIDTH_SPACE}`)
    .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`);
}

/** A fenced block that no content can close early: the fence is longer than any backtick run inside. */
export function fenceMarkdown(text: string, info = 'text'): string {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text.replace(/@/g, `@${ZERO_WIDTH_SPACE}`)}\n${fence}`;
}
