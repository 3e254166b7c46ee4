import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from '../manifest/rules/context.js';
import type { RosterEntry } from './types.js';

const IDENTITY_FIELDS: readonly (keyof RosterEntry)[] = ['github', 'pagerduty', 'slack', 'email', 'tracker'];

/** GitHub logins and email addresses are case-insensitive; the other ids are compared as written. */
function comparable(field: keyof RosterEntry, value: string): string {
  return field === 'github' || field === 'email' ? value.toLowerCase() : value;
}

/**
 * `roster.duplicate-identity`: two admins never share an identity, or an approval, a PagerDuty
 * assignment or a ticket could be attributed to the wrong human.
 */
export const uniqueRosterIdentities: Rule = (context) => {
  const roster = context.raw(['roster']);
  if (typeof roster !== 'object' || roster === null) return [];
  const found: Diagnostic[] = [];
  for (const field of IDENTITY_FIELDS) {
    const owners = new Map<string, string>();
    for (const handle of Object.keys(roster)) {
      const value = context.read<string>(['roster', handle, field]);
      if (value === undefined) continue;
      const key = comparable(field, value);
      const first = owners.get(key);
      if (first === undefined) {
        owners.set(key, handle);
        continue;
      }
      found.push(
        context.atValue(
          ['roster', handle, field],
          'roster.duplicate-identity',
          `\`${handle}\` has the same ${field} as \`${first}\` (${value}): each admin needs their own`,
        ),
      );
    }
  }
  return found;
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `config.insecure-url`: the platform admin API is reached over https, except a local sandbox. */
export const securePlatformUrl: Rule = (context) => {
  const url = context.read<string>(['platform', 'url']);
  if (url === undefined) return [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [
      context.atValue(['platform', 'url'], 'config.insecure-url', `\`platform.url\` is not a URL (${url})`),
    ];
  }
  if (parsed.protocol === 'https:' || LOOPBACK_HOSTS.has(parsed.hostname)) return [];
  return [
    context.atValue(
      ['platform', 'url'],
      'config.insecure-url',
      `\`platform.url\` uses ${parsed.protocol.replace(':', '')}: use https (plain http is only for a sandbox on 127.0.0.1)`,
    ),
  ];
};

export const CONFIG_RULES: readonly Rule[] = [uniqueRosterIdentities, securePlatformUrl];
