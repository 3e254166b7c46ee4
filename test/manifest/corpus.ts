import { BASE, withInsertedAfter, withLine, withLines, withoutLines } from './fixtures.js';

/**
 * Bad manifests, each with the finding a user must see: its rule id, the line (and, where it says
 * something, the column) of the offending key or value. Cases are edits of the valid base manifest in
 * fixtures.ts unless they need a whole document of their own.
 */
export interface CorpusCase {
  name: string;
  text: string;
  rule: string;
  line: number;
  column?: number;
  severity?: 'error' | 'warning';
  /** A phrase the message must contain (what to write instead). */
  says?: string;
  /** Validate as this file (default: fixtures FILE). */
  file?: string;
  /** The clock for warnings. */
  now?: Date;
}

const laughs = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
].join('\n');

const deepFlow = `${BASE}extra: ${'['.repeat(2000)}${']'.repeat(2000)}\n`;
const deepBlock = `${BASE}${Array.from({ length: 40 }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n')}\n`;
const fiveMegabytes = `${BASE}# ${'x'.repeat(5 * 1024 * 1024)}\n`;
const manyIncidents = `${withoutLines(11, 17).replace(
  'tickets:',
  `incidents:\n${Array.from({ length: 201 }, (_, i) => `  - id: Q${String(i).padStart(12, '0')}\n    status: { hypothesis: Pool exhaustion on replicas., lastAction: Raised the pool size., nextAction: Watch the p99 latency. }`).join('\n')}\ntickets:`,
)}`;
const manyErrors = withLine(
  18,
  `tickets:\n${Array.from({ length: 25 }, (_, i) => `  - { id: bad-${i}, disposition: active }`).join('\n')}`,
);

/** JSON is YAML: a flow-mapping manifest on one line, with one mistake (incoming = outgoing). */
const jsonForm =
  '{"apiVersion": "handover/v1", "kind": "Handover", "id": "2026-11-26-alice-to-bob", "variant": "emergency", ' +
  '"reason": "rotation", "outgoing": "alice", "incoming": "alice", "emergency": {"cause": "incapacitated"}, ' +
  '"window": {"end": "2026-11-26T18:00:00Z"}}\n';

export const CORPUS: readonly CorpusCase[] = [
  // ---------------------------------------------------------------- YAML itself
  { name: 'billion laughs: anchors are refused before anything expands', text: laughs, rule: 'yaml.alias', line: 1, column: 4 },
  { name: 'billion laughs: every alias is located', text: laughs, rule: 'yaml.alias', line: 9, column: 8 },
  {
    name: 'an alias reusing a value',
    text: withLines({ 6: 'outgoing: &who alice', 7: 'incoming: *who' }),
    rule: 'yaml.alias',
    line: 7,
    column: 11,
  },
  { name: 'a 5 MB document', text: fiveMegabytes, rule: 'yaml.too-large', line: 1, column: 1, says: '1 MiB' },
  { name: 'a custom tag', text: withLine(13, '    title: !shout EU API p99 latency'), rule: 'yaml.tag', line: 13, column: 12 },
  { name: 'a !!binary tag', text: withLine(13, '    title: !!binary RVUgQVBJ'), rule: 'yaml.tag', line: 13, column: 12 },
  { name: 'even a harmless !!str tag', text: withLine(3, 'id: !!str 2026-11-26-alice-to-bob'), rule: 'yaml.tag', line: 3, column: 5 },
  { name: 'a tag on the document', text: `--- !handover\n${BASE}`, rule: 'yaml.tag', line: 1, column: 5 },
  { name: 'a %YAML 1.1 directive', text: `%YAML 1.1\n---\n${BASE}`, rule: 'yaml.directive', line: 1, column: 1 },
  { name: 'a %TAG directive', text: `%TAG !n! tag:novavms.example,2026:\n---\n${BASE}`, rule: 'yaml.directive', line: 1 },
  { name: 'two documents in one file', text: `${BASE}---\n${BASE}`, rule: 'yaml.multiple-documents', line: 33, column: 1 },
  { name: 'an empty file', text: '', rule: 'yaml.empty', line: 1, column: 1 },
  { name: 'a file of comments only', text: '# handover\n# TODO\n', rule: 'yaml.empty', line: 1, column: 1 },
  { name: 'a lone document marker', text: '---\n', rule: 'yaml.empty', line: 1, column: 1 },
  { name: 'a duplicate top-level key', text: withInsertedAfter(7, 'incoming: dana'), rule: 'yaml.duplicate-key', line: 8, column: 1, says: 'line 7' },
  {
    name: 'a duplicate key in a status paragraph',
    text: withInsertedAfter(17, '      nextAction: Page the database team.'),
    rule: 'yaml.duplicate-key',
    line: 18,
    column: 7,
    says: 'line 17',
  },
  { name: 'a tab used as indentation', text: withLine(10, '\tend: 2026-11-26T18:00:00Z'), rule: 'yaml.tab-indent', line: 10, column: 1 },
  { name: 'a tab after spaces in the indentation', text: withLine(20, '  \t disposition: waiting_on_customer'), rule: 'yaml.tab-indent', line: 20 },
  { name: 'an unclosed quote', text: withLine(13, '    title: "EU API p99 latency'), rule: 'yaml.syntax', line: 33 },
  { name: 'a key indented less than its siblings', text: withLine(10, ' end: 2026-11-26T18:00:00Z'), rule: 'yaml.syntax', line: 10, column: 1, says: 'same column' },
  {
    name: 'a key indented more than its siblings reads as a continued value',
    text: withLine(10, '   end: 2026-11-26T18:00:00Z'),
    rule: 'yaml.syntax',
    line: 9,
    column: 10,
    says: 'indent it like the keys next to it',
  },
  {
    name: 'an unquoted colon and space inside a value',
    text: withLine(17, '      nextAction: Watch p99: fail over if high'),
    rule: 'yaml.syntax',
    line: 17,
  },
  { name: 'a bare dash as a value', text: withLine(17, '      nextAction: -'), rule: 'yaml.syntax', line: 17, column: 19, says: 'quote the value' },
  { name: 'flow brackets nested 2000 deep', text: deepFlow, rule: 'yaml.too-deep', line: 33 },
  { name: 'the same deep flow again in the same process', text: deepFlow, rule: 'yaml.too-deep', line: 33 },
  { name: 'block mappings nested 40 deep', text: deepBlock, rule: 'yaml.too-deep', line: 65, column: 65 },
  { name: 'a list at the top level', text: '- apiVersion: handover/v1\n', rule: 'schema.type', line: 1, column: 1, says: 'mapping' },
  { name: 'a plain string at the top level', text: 'handover from alice to bob\n', rule: 'schema.type', line: 1, column: 1 },
  // ---------------------------------------------------------------- characters
  { name: 'a right-to-left override in a handle', text: withLine(6, 'outgoing: adm\u202ein'), rule: 'text.control-character', line: 6, column: 14, says: 'U+202E' },
  { name: 'a NUL in a status paragraph', text: withLine(15, '      hypothesis: "Pool exhaustion\\0 on replicas."'), rule: 'text.control-character', line: 15, column: 19, says: 'written as an escape' },
  { name: 'a raw NUL byte', text: withLine(15, '      hypothesis: Pool exhaustion\u0000 on replicas.'), rule: 'text.control-character', line: 15, column: 34 },
  { name: 'a zero-width space in a ticket id', text: withLine(19, '  - id: SUP-\u200b4411'), rule: 'text.control-character', line: 19, column: 13, says: 'ZERO WIDTH SPACE' },
  { name: 'the zero-width space also breaks the id', text: withLine(19, '  - id: SUP-\u200b4411'), rule: 'schema.pattern', line: 19, column: 9 },
  { name: 'an escape sequence that would drive a terminal', text: withLine(13, '    title: EU \u001b[31mAPI'), rule: 'text.control-character', line: 13, column: 15 },
  { name: 'a bidi override written as an escape', text: withLine(6, 'outgoing: "adm\\u202Ein"'), rule: 'text.control-character', line: 6, column: 11, says: 'U+202E' },
  {
    name: 'CRLF line endings keep positions',
    text: withLine(7, 'incoming: alice').replace(/\n/g, '\r\n'),
    rule: 'roster.same-admin',
    line: 7,
    column: 11,
  },
  {
    name: 'a byte-order mark does not shift columns',
    text: `\ufeff${withLine(1, 'apiVersion: handover/v9')}`,
    rule: 'schema.const',
    line: 1,
    column: 13,
  },
  { name: 'a JSON-form manifest on one line', text: jsonForm, rule: 'roster.same-admin', line: 1, column: 163 },
  // ---------------------------------------------------------------- YAML 1.2 core values
  { name: '0777 stays the number 777 (not octal 511), not a flag', text: withLine(28, '  - flag: 0777'), rule: 'schema.type', line: 28, column: 11, says: "'0777'" },
  { name: '`on` is text, not true', text: withLine(30, '    rampPercent: on'), rule: 'schema.type', line: 30, column: 18, says: 'found text' },
  { name: '`NO` as a handle is the text NO', text: withLine(7, 'incoming: NO'), rule: 'schema.pattern', line: 7, column: 11, says: '`NO`' },
  { name: '.nan is not a percentage', text: withLine(31, '    lastErrorRatePercent: .nan'), rule: 'schema.type', line: 31, column: 27 },
  { name: 'true is a boolean, not a title', text: withLine(13, '    title: true'), rule: 'schema.type', line: 13, column: 12, says: "quote it, e.g. 'true'" },
  // ---------------------------------------------------------------- schema
  { name: 'a future apiVersion', text: withLine(1, 'apiVersion: handover/v2'), rule: 'schema.const', line: 1, column: 13, says: 'handover/v1' },
  { name: 'a wrong kind', text: withLine(2, 'kind: Handoff'), rule: 'schema.const', line: 2, column: 7 },
  { name: 'a misspelt status key', text: withLine(16, '      lastActon: Raised pool size from 50 to 80.'), rule: 'schema.unknown-key', line: 16, column: 7, says: 'did you mean `lastAction`?' },
  { name: 'a misspelt top-level key', text: withLine(18, 'tikets:'), rule: 'schema.unknown-key', line: 18, column: 1, says: 'did you mean `tickets`?' },
  { name: '__proto__ at the top level', text: withInsertedAfter(7, '__proto__: { isAdmin: true }'), rule: 'schema.unknown-key', line: 8, column: 1, says: '__proto__' },
  { name: '__proto__ inside an incident', text: withInsertedAfter(13, '    __proto__: { isAdmin: true }'), rule: 'schema.unknown-key', line: 14, column: 5 },
  { name: 'constructor inside a rollout', text: withInsertedAfter(32, '    constructor: 1'), rule: 'schema.unknown-key', line: 33, column: 5 },
  { name: 'a $schema key (the schema belongs in a comment)', text: withInsertedAfter(0, '$schema: ../schemas/handover.schema.json'), rule: 'schema.unknown-key', line: 1, column: 1 },
  { name: 'window without end', text: withoutLines(10), rule: 'schema.required', line: 8, column: 1, says: 'add `end: 2026-11-26T18:00:00Z`' },
  { name: 'no reason at all', text: withoutLines(5), rule: 'schema.required', line: 1, column: 1, says: '`reason`' },
  { name: 'a rollout without nextStep', text: withoutLines(32), rule: 'schema.required', line: 28, column: 5, says: '`nextStep`' },
  { name: 'a ticket without disposition', text: withoutLines(20), rule: 'schema.required', line: 19, column: 5, says: 'waiting_on_customer' },
  { name: 'a misspelt variant', text: withLine(4, 'variant: plannned'), rule: 'schema.enum', line: 4, column: 10, says: 'did you mean `planned`?' },
  { name: 'an unknown reason', text: withLine(5, 'reason: vacation'), rule: 'schema.enum', line: 5, column: 9, says: '`rotation`, `departure`' },
  {
    name: 'disposition TODO from a scaffold',
    text: withLine(20, '    disposition: TODO'),
    rule: 'schema.enum',
    line: 20,
    column: 18,
    says: '`waiting_on_customer`, `waiting_on_engineering`, `active`',
  },
  { name: 'a rollout state that is not in flight', text: withLine(29, '    state: complete'), rule: 'schema.enum', line: 29, column: 12 },
  {
    name: 'an unknown emergency cause',
    text: withLines({ 4: 'variant: emergency\nemergency: { cause: sick }' }),
    rule: 'schema.enum',
    line: 5,
    column: 21,
    says: '`incapacitated`, `compromised`',
  },
  { name: 'a ticket id with a space', text: withLine(19, '  - id: sup 4411'), rule: 'schema.pattern', line: 19, column: 9, says: 'SUP-4411' },
  { name: 'a lower-case PagerDuty id', text: withLine(12, '  - id: q1abcdef12345'), rule: 'schema.pattern', line: 12, column: 9 },
  { name: 'a flag with spaces', text: withLine(28, '  - flag: billing v2'), rule: 'schema.pattern', line: 28, column: 11 },
  { name: 'a capitalised handle', text: withLine(6, 'outgoing: Alice'), rule: 'schema.pattern', line: 6, column: 11 },
  { name: 'a window without a time zone', text: withLine(9, '  start: 2026-11-26T16:00:00'), rule: 'schema.pattern', line: 9, column: 10, says: 'time zone' },
  { name: 'a session id with a slash', text: withLine(26, '    impersonationSession: imp/01HZX3'), rule: 'schema.pattern', line: 26, column: 27 },
  { name: 'a percentage written as text', text: withLine(30, '    rampPercent: 25%'), rule: 'schema.type', line: 30, column: 18, says: 'a number' },
  { name: 'incidents as a mapping', text: withoutLines(12, 17).replace('incidents:\n', 'incidents: { Q1ABCDEF12345: open }\n'), rule: 'schema.type', line: 11, column: 12, says: 'a list' },
  { name: 'an empty hypothesis', text: withLine(15, "      hypothesis: ''"), rule: 'schema.length', line: 15, column: 19 },
  { name: 'a title of 400 characters', text: withLine(13, `    title: ${'x'.repeat(400)}`), rule: 'schema.length', line: 13, column: 12, says: 'at most 300' },
  { name: '201 incidents', text: manyIncidents, rule: 'schema.items', line: 11, column: 1, says: 'at most 200' },
  { name: 'more than 20 schema errors are summarised', text: manyErrors, rule: 'schema.more-errors', line: 39, says: '5 more' },
  { name: 'a ramp of 250%', text: withLine(30, '    rampPercent: 250'), rule: 'rollout.range', line: 30, column: 18, says: 'at most 100' },
  { name: 'a negative error rate', text: withLine(31, '    lastErrorRatePercent: -1'), rule: 'rollout.range', line: 31, column: 27, says: 'at least 0' },
  // ---------------------------------------------------------------- rules of spec §1
  { name: 'an id that is not the file name', text: withLine(3, 'id: 2026-11-27-alice-to-bob'), rule: 'id.matches-file', line: 3, column: 5, says: '2026-11-26-alice-to-bob' },
  { name: 'an id checked against a .yml name', text: BASE, file: 'handovers/other.yml', rule: 'id.matches-file', line: 3, column: 5 },
  { name: 'an incident listed twice', text: withInsertedAfter(17, '  - id: Q1ABCDEF12345'), rule: 'unique.incident', line: 18, column: 9, says: 'line 12' },
  { name: 'a ticket listed twice', text: withLine(21, '  - id: SUP-4411'), rule: 'unique.ticket', line: 21, column: 9, says: 'line 19' },
  {
    name: 'a rollout listed twice',
    text: `${BASE}  - flag: billing-v2-ledger\n    state: paused\n    rampPercent: 25\n    lastErrorRatePercent: 0.4\n    nextStep: Resume the ramp on Monday morning.\n`,
    rule: 'unique.rollout',
    line: 33,
    column: 11,
  },
  { name: 'a handle not in the roster', text: withLine(7, 'incoming: bobb'), rule: 'roster.unknown-handle', line: 7, column: 11, says: 'did you mean `bob`?' },
  { name: 'a handed-over-to-self', text: withLine(7, 'incoming: alice'), rule: 'roster.same-admin', line: 7, column: 11 },
  {
    name: 'an outage led by a third admin',
    text: withLines({ 4: 'variant: mid-shift-outage', 8: 'outage: { incident: Q9OUTAGE00001, lead: dana }\nwindow:' }),
    rule: 'outage.lead',
    line: 8,
    column: 42,
  },
  {
    name: 'an outage lead not in the roster',
    text: withLines({ 4: 'variant: mid-shift-outage', 8: 'outage: { incident: Q9OUTAGE00001, lead: zed }\nwindow:' }),
    rule: 'roster.unknown-handle',
    line: 8,
    column: 42,
  },
  { name: 'an emergency without its block', text: withLine(4, 'variant: emergency'), rule: 'variant.block', line: 4, column: 10, says: 'cause: incapacitated' },
  { name: 'an emergency block on a planned handover', text: withInsertedAfter(7, 'emergency: { cause: incapacitated }'), rule: 'variant.block', line: 8, column: 1 },
  { name: 'a mid-shift outage without its block', text: withLine(4, 'variant: mid-shift-outage'), rule: 'variant.block', line: 4, column: 10, says: '`outage:`' },
  { name: 'an outage block on a weekly rotation', text: withLines({ 4: 'variant: weekly-rotation', 8: 'outage: { incident: Q9OUTAGE00001, lead: alice }\nwindow:' }), rule: 'variant.block', line: 8, column: 1 },
  { name: 'a window that runs backwards', text: withLine(10, '  end: 2026-11-26T15:00:00Z'), rule: 'window.order', line: 10, column: 8 },
  { name: 'a window of zero length', text: withLine(10, '  end: 2026-11-26T16:00:00Z'), rule: 'window.order', line: 10, column: 8 },
  { name: 'a planned window of one hour', text: withLine(10, '  end: 2026-11-26T17:00:00Z'), rule: 'window.min-overlap', line: 10, column: 8, says: '2026-11-26T18:00:00Z or later' },
  {
    name: 'a weekly rotation of 90 minutes across time zones',
    text: withLines({ 4: 'variant: weekly-rotation', 9: '  start: 2026-11-26T17:00:00+01:00', 10: '  end: 2026-11-26T17:30:00Z' }),
    rule: 'window.min-overlap',
    line: 10,
    says: '1 h 30 min',
  },
  { name: 'a planned window without start', text: withoutLines(9), rule: 'window.start-required', line: 8, column: 1 },
  { name: 'the 30th of February', text: withLine(10, '  end: 2026-02-30T18:00:00Z'), rule: 'window.date', line: 10, column: 8 },
  { name: 'hour 25', text: withLine(9, '  start: 2026-11-26T25:00:00Z'), rule: 'window.date', line: 9, column: 10 },
  {
    name: 'a window already over is only a warning',
    text: BASE,
    now: new Date('2027-01-01T00:00:00Z'),
    rule: 'window.past',
    line: 10,
    column: 8,
    severity: 'warning',
  },
  { name: 'an incident without status', text: withoutLines(14, 17), rule: 'status.required', line: 12, column: 5, says: 'not a handover' },
  { name: 'a status without nextAction', text: withoutLines(17), rule: 'status.required', line: 14, column: 5, says: '`nextAction`' },
  { name: 'a two-word hypothesis', text: withLine(15, '      hypothesis: pool exhaustion'), rule: 'status.prose', line: 15, column: 19, says: 'at least 3 words' },
  { name: 'a scaffold TODO', text: withLine(15, '      hypothesis: "TODO: current hypothesis"'), rule: 'status.placeholder', line: 15, column: 19 },
  { name: 'a lower-case todo inside a sentence', text: withLine(16, '      lastAction: todo write what was done'), rule: 'status.placeholder', line: 16, column: 19 },
  { name: 'TBD', text: withLine(17, '      nextAction: TBD'), rule: 'status.placeholder', line: 17, column: 19 },
  { name: 'FIXME in the middle', text: withLine(17, '      nextAction: Fail over to replica 3 FIXME confirm'), rule: 'status.placeholder', line: 17 },
  { name: 'n/a', text: withLine(16, '      lastAction: n/a'), rule: 'status.placeholder', line: 16, column: 19 },
  { name: 'N/A in capitals', text: withLine(16, '      lastAction: N/A'), rule: 'status.placeholder', line: 16 },
  { name: 'a quoted dash', text: withLine(16, "      lastAction: '-'"), rule: 'status.placeholder', line: 16, column: 19 },
  { name: 'question marks', text: withLine(15, "      hypothesis: '???'"), rule: 'status.placeholder', line: 15 },
  { name: 'an angle-bracket placeholder', text: withLine(15, '      hypothesis: Probably <current hypothesis> on the replicas'), rule: 'status.placeholder', line: 15, says: '<current hypothesis>' },
  { name: 'an ellipsis placeholder', text: withLine(17, '      nextAction: <...>'), rule: 'status.placeholder', line: 17 },
  {
    name: 'waiting on engineering without an issue',
    text: withoutLines(23),
    rule: 'ticket.engineering-issue',
    line: 21,
    column: 5,
    says: 'owner/repo#N',
  },
  { name: 'an issue that is neither URL nor reference', text: withLine(23, '    engineeringIssue: issue 812'), rule: 'ticket.engineering-issue', line: 23, column: 23 },
  {
    name: 'an issue on a ticket waiting on the customer is a warning',
    text: withInsertedAfter(20, '    engineeringIssue: novavms/platform#813'),
    rule: 'ticket.engineering-issue',
    line: 21,
    column: 5,
    severity: 'warning',
  },
  { name: 'a next step left as TODO', text: withLine(32, '    nextStep: TODO'), rule: 'rollout.prose', line: 32, column: 15 },
  { name: 'a one-word next step', text: withLine(32, '    nextStep: ramp'), rule: 'rollout.prose', line: 32, column: 15, says: '1 word' },
  // ---------------------------------------------------------------- credentials
  { name: 'a Slack token in a status', text: withLine(16, '      lastAction: Posted with xoxb-123456789012-abcdefghijkl as the bot.'), rule: 'secret.credential', line: 16, column: 31, says: 'Slack token' },
  { name: 'a GitHub token in a comment', text: withInsertedAfter(0, `# ghp_${'a1B2'.repeat(9)}`), rule: 'secret.credential', line: 1, column: 3, says: 'GitHub token' },
  { name: 'a fine-grained GitHub token', text: withLine(13, `    title: github_pat_${'A1'.repeat(15)}`), rule: 'secret.credential', line: 13, column: 12 },
  { name: 'a GitLab token', text: withLine(13, `    title: glpat-${'x1'.repeat(12)}`), rule: 'secret.credential', line: 13, column: 12 },
  {
    name: 'a JSON Web Token as a session',
    text: withLine(26, '    impersonationSession: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl'),
    rule: 'secret.credential',
    line: 26,
    column: 27,
    says: 'JSON Web Token',
  },
  { name: 'an AWS access key id', text: withLine(13, '    title: key AKIAIOSFODNN7EXAMPLE leaked'), rule: 'secret.credential', line: 13, column: 16 },
  { name: 'a PagerDuty user token', text: withLine(13, '    title: u+AbCdEfGhIjKlMnOpQrSt'), rule: 'secret.credential', line: 13, column: 12 },
  { name: 'a private key block', text: withInsertedAfter(32, '# -----BEGIN OPENSSH PRIVATE KEY-----'), rule: 'secret.credential', line: 33, column: 3 },
  { name: 'a bearer token', text: withLine(16, '      lastAction: Called the API with Bearer abcdefghijklmnop1234 by hand.'), rule: 'secret.credential', line: 16, column: 39 },
  { name: 'a long hex key', text: withLine(13, `    title: ${'0123456789abcdef'.repeat(2)}`), rule: 'secret.credential', line: 13, column: 12, says: 'commit hash' },
  { name: 'a password in a URL', text: withLine(23, '    engineeringIssue: https://bot:hunter2@github.com/novavms/platform/issues/812'), rule: 'secret.credential', line: 23, column: 23 },
  { name: 'a key named like a token', text: withInsertedAfter(26, '    impersonationToken: imp-secret-123'), rule: 'secret.credential', line: 27, column: 5, says: 'impersonationToken' },
  { name: 'a key named password', text: withInsertedAfter(7, 'password: hunter2'), rule: 'secret.credential', line: 8, column: 1 },
];
