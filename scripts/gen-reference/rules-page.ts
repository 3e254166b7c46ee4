import type { FindingDoc, RefusalDoc, RuleDoc } from '../../src/rules/registry.js';
import { block, cell, code, generatedNotice, table } from './markdown.js';

/** Control and invisible characters, shown by their code point so the page itself stays safe to read. */
function visible(text: string): string {
  return text.replace(/[\p{Cf}\u0000-\u0008\u000b-\u001f\u007f]/gu, (char) => {
    const point = char.codePointAt(0) ?? 0;
    return `<U+${point.toString(16).toUpperCase().padStart(4, '0')}>`;
  });
}

/** The registry's examples are YAML, except a few that describe a situation or an action in words. */
function isProse(text: string): boolean {
  return text.startsWith('(') || (!text.includes(':') && !text.includes('\n'));
}

function sample(label: string, text: string): string[] {
  const shown = visible(text);
  return isProse(text) ? [`${label}: ${shown}`, ''] : [`${label}:`, '', block(shown, 'yaml'), ''];
}

const APPLIES_TO: Record<RuleDoc['appliesTo'], string> = {
  manifest: 'manifests',
  config: 'the config',
  both: 'manifests and the config',
};

/** The registry's tables, one per command that reports them. */
export interface RuleRegistry {
  validation: readonly RuleDoc[];
  findings: readonly FindingDoc[];
  acknowledgement: readonly RefusalDoc[];
  push: readonly RefusalDoc[];
}

export function renderRulesPage(registry: RuleRegistry): string {
  const { validation: rules, findings } = registry;
  const ids = [...rules, ...findings, ...registry.acknowledgement, ...registry.push].map((rule) => rule.id);
  const clash = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (clash.length > 0) throw new Error(`rule ids listed twice in the registry: ${clash.join(', ')}`);

  const index = table(
    ['Rule', 'Severity', 'Checks', 'Applies to'],
    rules.map((rule) => [
      `[${code(rule.id)}](#${anchor(rule.id)})`,
      rule.severity,
      cell(rule.summary),
      APPLIES_TO[rule.appliesTo],
    ]),
  );
  const sections = rules.flatMap((rule) => [
    `### ${code(rule.id)}`,
    '',
    `${rule.summary} *${rule.severity}, ${APPLIES_TO[rule.appliesTo]}.*`,
    '',
    ...sample('The mistake', rule.example),
    ...sample('The fix', rule.fix),
  ]);

  return [
    '# Rule reference',
    '',
    generatedNotice('src/rules/registry.ts'),
    '',
    'Every diagnostic names the rule it comes from: `handover validate --format json` prints',
    '`{file, line, column, severity, rule, message}`, and inside GitHub Actions each is an annotation on',
    'the offending line. Errors make `validate` exit 1; warnings do not.',
    '',
    '## `handover validate`: manifests and the config',
    '',
    index,
    '',
    ...sections,
    '## `handover plan`: findings against live state',
    '',
    'Errors mean something would be stranded (plan exits 1); warnings deserve a reviewer’s look; info is',
    'context. What each one means for `apply` is in [docs/plan.md](../plan.md).',
    '',
    table(
      ['Rule', 'Severity', 'When'],
      findings.map((finding) => [code(finding.id), cell(finding.severity), cell(finding.when)]),
    ),
    '',
    '## `handover plan` and `apply`: the acknowledgement',
    '',
    'On a pull request, the incoming admin’s approval of its final commit is the acknowledgement. Each of',
    'these refuses it (plan exits 1; apply refuses to run).',
    '',
    table(
      ['Rule', 'Refused when'],
      registry.acknowledgement.map((rule) => [code(rule.id), cell(rule.when)]),
    ),
    '',
    '## The GitHub Action’s `apply`: the push',
    '',
    'On a push to the default branch the action applies only what a merged pull request added under',
    '`handovers/`. Each of these refuses the push (the run fails; nothing is applied).',
    '',
    table(
      ['Rule', 'Refused when'],
      registry.push.map((rule) => [code(rule.id), cell(rule.when)]),
    ),
    '',
  ].join('\n');
}

/** GitHub's heading anchor for a heading that is just the rule id in code: dots are dropped. */
export function anchor(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}
