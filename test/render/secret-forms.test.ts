import { describe, expect, it } from 'vitest';
import { createRedactor, secretForms } from '../../src/render/secret-forms.js';

const TOKEN = 'xoxb-12/ab+cd=ef&gh?ij~kl';

describe('secret forms', () => {
  const redact = createRedactor([TOKEN, 'short']);
  it.each([
    ['plain', `token ${TOKEN} here`],
    ['URL-encoded', `?t=${encodeURIComponent(TOKEN)}&x=1`],
    ['base64', `echo ${Buffer.from(TOKEN).toString('base64')}`],
    ['base64url', `cursor=${Buffer.from(TOKEN).toString('base64url')}`],
    ['base64 inside a Basic header (offset 1)', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`],
    ['base64 inside a Basic header (offset 2)', `Basic ${Buffer.from(`xy:${TOKEN}`).toString('base64')}`],
    ['base64url inside a longer value (offset 0)', Buffer.from(`abc${TOKEN}`).toString('base64url')],
  ])('redacts the %s form', (_name, text) => {
    const out = redact(text);
    expect(out).toContain('***');
    for (const form of secretForms(TOKEN)) expect(out).not.toContain(form);
    // What is left holds no decodable part of the token either.
    expect(Buffer.from(out.replace(/[^A-Za-z0-9+/=_-]/g, ''), 'base64').toString('latin1')).not.toContain(
      'ab+cd=ef',
    );
  });

  it('redacts short secrets as they are, and leaves other text alone', () => {
    expect(redact('a short one')).toBe('a *** one');
    expect(redact('nothing secret here')).toBe('nothing secret here');
  });

  it('has no form so short that it would redact ordinary words', () => {
    for (const form of secretForms('abcdefgh')) expect(form.length).toBeGreaterThanOrEqual(8);
  });
});
