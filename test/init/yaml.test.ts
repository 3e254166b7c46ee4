import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { draftManifest } from '../../src/init/draft.js';
import { renderDraft } from '../../src/init/yaml.js';
import { config, incident, live, ticket } from '../plan/builders.js';
import { ALICE_TO_BOB } from '../support/handover.js';

/** Titles that would break a manifest written by string concatenation. */
const HOSTILE = [
  'key: value',
  '- a list item',
  '"quoted" and \'single\'',
  '# not a comment',
  '&anchor *alias',
  '!!binary aGVsbG8=',
  '%YAML 1.1',
  '---',
  '{ flow: map }',
  'on',
  'NO',
  '0777',
  '12:30',
  '@mention `code`',
  'trailing space ',
  'line one\nsecond: line',
];

function render(title: string): string {
  const draft = draftManifest(
    { ...ALICE_TO_BOB },
    config(),
    live({
      openIncidents: [incident('Q1', { title })],
      pinnedTickets: [ticket('SUP-1', { title })],
    }),
  );
  return renderDraft(draft, {
    schemaReference: '../../schemas/handover.schema.json',
    generatedAt: new Date('2026-11-26T15:00:00Z'),
  });
}

describe('init writes text from the world safely into YAML', () => {
  it.each(HOSTILE)('the title %j comes back exactly, as one plain string', (title) => {
    const yaml = render(title);
    const doc = parseDocument(yaml, { version: '1.2', schema: 'core', uniqueKeys: true });
    expect(doc.errors).toEqual([]);
    const value = doc.toJS() as {
      incidents: Array<{ title: string }>;
      tickets: Array<Record<string, unknown>>;
    };
    expect(value.incidents[0]?.title).toBe(title.replace(/\n/g, ' ').trim());
    // The ticket's title only ever appears in a comment: the ticket keeps its two keys.
    expect(Object.keys(value.tickets[0] ?? {})).toEqual(['id', 'disposition']);
    // No anchors, aliases, tags or directives: the validator rejects each of them.
    expect(yaml).not.toMatch(/^\s*[&*!%]|: [&*!]/m);
  });

  it('starts with the yaml-language-server schema line', () => {
    expect(render('x').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../../schemas/handover.schema.json',
    );
  });

  it('puts the incident URL above the incident as a comment', () => {
    expect(render('x')).toContain(
      '  # https://novalien.pagerduty.com/incidents/Q1 (acknowledged since 2026-11-26T12:00:00Z)\n  - id: Q1\n',
    );
  });

  it('keeps a multi-line ticket title on one comment line', () => {
    const yaml = render('first\nkey: injected');
    expect(yaml).toContain('  # first key: injected (pending)\n  - id: SUP-1\n');
    expect(parse(yaml).tickets).toEqual([{ id: 'SUP-1', disposition: 'waiting_on_customer' }]);
  });
});
