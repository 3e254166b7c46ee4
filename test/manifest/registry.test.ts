import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { parseManifest } from '../../src/manifest/index.js';
import {
  ACKNOWLEDGEMENT_RULES,
  PLAN_FINDINGS,
  PUSH_RULES,
  VALIDATION_RULES as RULES,
  ruleDoc,
} from '../../src/rules/registry.js';
import { CONFIG_CORPUS } from '../config/corpus.js';
import { CORPUS } from './corpus.js';
import { FILE, loadTestConfig } from './fixtures.js';

const config = loadTestConfig();

/** Every rule id the two corpora make the validator report. */
function reportedRules(): Set<string> {
  const ids = new Set<string>();
  for (const c of CORPUS) {
    for (const d of parseManifest(c.text, c.file ?? FILE, { config, now: c.now }).diagnostics)
      ids.add(d.rule);
  }
  for (const c of CONFIG_CORPUS)
    for (const d of parseConfig(c.text, 'handover.config.yaml').diagnostics) ids.add(d.rule);
  return ids;
}

/** Ids the corpora cannot reach with today's schemas, each for a stated reason. */
const UNREACHED: Record<string, string> = {
  'schema.range': 'the only numeric ranges (rollout percentages) are reported as rollout.range',
  'schema.invalid': 'the fallback for a schema keyword without a dedicated message; none is left',
  'text.encoding': 'needs bytes that are not UTF-8: tested through loadManifestFile in api.test.ts',
};

describe('the rule registry (the source of the reference docs)', () => {
  const reported = reportedRules();

  it('lists each rule once, with a summary, an example and a fix', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z]+(\.[a-z]+(-[a-z]+)*)+$/);
      expect(rule.summary.length).toBeGreaterThan(10);
      expect(rule.example.length).toBeGreaterThan(0);
      expect(rule.fix.length).toBeGreaterThan(0);
    }
  });

  it('gives every rule and finding of every command its own id', () => {
    const ids = [...RULES, ...PLAN_FINDINGS, ...ACKNOWLEDGEMENT_RULES, ...PUSH_RULES].map((r) => r.id);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(\.[a-z]+(-[a-z]+)*)+$/);
  });

  it('documents every rule id the validator reports', () => {
    const undocumented = [...reported].filter((id) => ruleDoc(id) === undefined);
    expect(undocumented).toEqual([]);
  });

  it('lists no rule that the corpora never hit, except the ones explained', () => {
    const unhit = RULES.map((r) => r.id).filter((id) => !reported.has(id) && !(id in UNREACHED));
    expect(unhit).toEqual([]);
  });

  it('gives warnings and errors the severity they are reported with', () => {
    for (const c of CORPUS) {
      for (const d of parseManifest(c.text, c.file ?? FILE, { config, now: c.now }).diagnostics) {
        expect(
          ruleDoc(d.rule)?.severity === d.severity || d.rule === 'ticket.engineering-issue',
          d.rule,
        ).toBe(true);
      }
    }
  });
});
