import type { RuleDoc } from '../../src/manifest/rules/registry.js';
import { block, cell, code, generatedNotice, table } from './markdown.js';
import type { PlanFinding } from './plan-findings.js';

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

export function renderRulesPage(rules: readonly RuleDoc[], findings: readonly PlanFinding[]): string {
  const clash = rules.filter((rule) => findings.some((finding) => finding.id === rule.id));
  if (clash.length > 0)
    throw new Error(`rule ids used by both validate and plan: ${clash.map((rule) => rule.id).join(', ')}`);

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
  const ofKind = (kind: PlanFinding['kind']) => findings.filter((finding) => finding.kind === kind);

  return [
    '# Rule reference',
    '',
    generatedNotice('src/manifest/rules/registry.ts, the rule ids in src/runbook/ and docs/plan.md'),
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
      ofKind('finding').map((finding) => [code(finding.id), cell(finding.severity), cell(finding.when)]),
    ),
    '',
    '## `handover plan` and `apply`: the acknowledgement',
    '',
    'On a pull request, the incoming admin’s approval of its final commit is the acknowledgement. Each of',
    'these refuses it (plan exits 1; apply refuses to run).',
    '',
    table(
      ['Rule', 'Refused when'],
      ofKind('acknowledgement').map((finding) => [code(finding.id), cell(finding.when)]),
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
