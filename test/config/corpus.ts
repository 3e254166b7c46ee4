import { CONFIG_TEXT } from '../manifest/fixtures.js';

/** Bad configs, each with the rule id, line and column a user must see. Edits of the valid CONFIG_TEXT. */
export interface ConfigCase {
  name: string;
  text: string;
  rule: string;
  line: number;
  column?: number;
  says?: string;
}

const edit = (from: string, to: string): string => {
  if (!CONFIG_TEXT.includes(from)) throw new Error(`config fixture has no ${from}`);
  return CONFIG_TEXT.replace(from, to);
};

export const CONFIG_CORPUS: readonly ConfigCase[] = [
  {
    name: 'a misspelt section',
    text: edit('slack:', 'slak:'),
    rule: 'schema.unknown-key',
    line: 4,
    column: 1,
    says: 'did you mean `slack`?',
  },
  {
    name: 'no platform section',
    text: edit('platform:\n  url: https://admin.novavms.example/api/v1\n', ''),
    rule: 'schema.required',
    line: 1,
    column: 1,
    says: '`platform`',
  },
  {
    name: 'a roster entry without email',
    text: edit(' email: bob@novavms.example,', ''),
    rule: 'schema.required',
    line: 11,
    column: 3,
    says: '`email`',
  },
  {
    name: 'a roster entry with an unknown field',
    text: edit('tracker: dana }', 'tracker: dana, phone: "+1 555" }'),
    rule: 'schema.unknown-key',
    line: 12,
    column: 111,
  },
  {
    name: 'a capitalised handle',
    text: edit('  bob:   {', '  Bob:   {'),
    rule: 'schema.unknown-key',
    line: 11,
    column: 3,
    says: 'lowercase',
  },
  {
    name: '__proto__ as a handle',
    text: edit('  bob:   {', '  __proto__: {'),
    rule: 'schema.unknown-key',
    line: 11,
    column: 3,
  },
  {
    name: 'an empty roster',
    text: CONFIG_TEXT.replace(/roster:[\s\S]*/, 'roster: {}\n'),
    rule: 'schema.entries',
    line: 9,
    column: 1,
    says: 'at least 1',
  },
  {
    name: 'a channel name instead of its id',
    text: edit('channel: C0PLATOPS', 'channel: "#novavms-platform-ops"'),
    rule: 'schema.pattern',
    line: 5,
    column: 12,
  },
  {
    name: 'a Slack user name instead of an id',
    text: edit('slack: U0BOB,', 'slack: "@bob",'),
    rule: 'schema.pattern',
    line: 11,
    column: 57,
  },
  {
    name: 'a lower-case PagerDuty service id',
    text: edit('serviceId: PSVC001', 'serviceId: psvc001'),
    rule: 'schema.pattern',
    line: 2,
    column: 14,
  },
  {
    name: 'an email without a domain',
    text: edit('email: dana@novavms.example', 'email: dana'),
    rule: 'schema.pattern',
    line: 12,
    column: 73,
  },
  {
    name: 'a numeric GitHub login read as a number',
    text: edit('github: dana-nv', 'github: 1234'),
    rule: 'schema.type',
    line: 12,
    column: 20,
    says: "'1234'",
  },
  {
    name: 'two admins with one PagerDuty id',
    text: edit('pagerduty: PUSR002', 'pagerduty: PUSR001'),
    rule: 'roster.duplicate-identity',
    line: 11,
    column: 41,
    says: '`alice`',
  },
  {
    name: 'two admins with one GitHub login, in other case',
    text: edit('github: dana-nv', 'github: Alice-NV'),
    rule: 'roster.duplicate-identity',
    line: 12,
    column: 20,
  },
  {
    name: 'two admins with one email, in other case',
    text: edit('email: dana@novavms.example', 'email: ALICE@novavms.example'),
    rule: 'roster.duplicate-identity',
    line: 12,
    column: 73,
  },
  {
    name: 'a plain-http platform URL',
    text: edit('url: https://admin', 'url: http://admin'),
    rule: 'config.insecure-url',
    line: 8,
    column: 8,
    says: 'https',
  },
  {
    name: 'a token in the config',
    text: `${CONFIG_TEXT}# PLATFORM_TOKEN=xoxp-123456789012-abcdef\n`,
    rule: 'secret.credential',
    line: 13,
    column: 18,
  },
  {
    name: 'a token field in the config',
    text: edit('platform:\n', 'platform:\n  token: abc\n'),
    rule: 'secret.credential',
    line: 8,
    column: 3,
  },
  {
    name: 'a tab in the indentation',
    text: edit('  serviceId', '\tserviceId'),
    rule: 'yaml.tab-indent',
    line: 2,
    column: 1,
  },
  {
    name: 'an alias for a roster entry',
    text: edit('  alice: {', '  alice: &a {').replace('  bob:   {', '  bobby: *a\n  bob:   {'),
    rule: 'yaml.alias',
    line: 10,
    column: 10,
  },
  {
    name: 'a duplicate handle',
    text: edit('  bob:   {', '  alice: {'),
    rule: 'yaml.duplicate-key',
    line: 11,
    column: 3,
    says: 'line 10',
  },
  { name: 'an empty config', text: '', rule: 'yaml.empty', line: 1, column: 1 },
];
