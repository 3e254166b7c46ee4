/**
 * What a credential looks like, for `secret.credential` and for redacting any source text we echo
 * (a caret display must not print a token into a CI log).
 */
export interface CredentialKind {
  name: string;
  pattern: RegExp;
  /**
   * Text every match contains, one of these (in lower case when the pattern ignores case). The pattern
   * runs only on text that has one: most files have none, and compiling the patterns costs about a
   * millisecond of a validation's start-up. Without `contains` the pattern always runs.
   */
  contains?: readonly string[];
}

// Each pattern may start only where a run of its characters starts (the lookbehinds): a failed match
// then costs at most the length of one run, so scanning stays linear even on hostile text.
export const CREDENTIAL_KINDS: readonly CredentialKind[] = [
  { name: 'a Slack token', pattern: /(?<![A-Za-z0-9-])xox[abprs]-[A-Za-z0-9-]{8,}/g, contains: ['xox'] },
  {
    name: 'a Slack app token',
    pattern: /(?<![A-Za-z0-9-])xapp-[0-9]-[A-Za-z0-9-]{8,}/g,
    contains: ['xapp-'],
  },
  {
    name: 'a GitHub token',
    pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{20,}/g,
    contains: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
  },
  {
    name: 'a GitHub fine-grained token',
    pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{20,}/g,
    contains: ['github_pat_'],
  },
  { name: 'a GitLab token', pattern: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}/g, contains: ['glpat-'] },
  {
    name: 'a JSON Web Token',
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
    contains: ['eyJ'],
  },
  {
    name: 'an AWS access key id',
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    contains: ['AKIA', 'ASIA'],
  },
  {
    name: 'a PagerDuty user API token',
    pattern: /(?<![A-Za-z0-9_+-])u\+[A-Za-z0-9_-]{16,}/g,
    contains: ['u+'],
  },
  {
    name: 'a private key',
    pattern: /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/g,
    contains: ['-----BEGIN '],
  },
  {
    name: 'a bearer token',
    pattern: /(?<![A-Za-z0-9])Bearer +[A-Za-z0-9._~+/-]{16,}/gi,
    contains: ['bearer'],
  },
  {
    name: 'a PagerDuty API token',
    pattern: /(?<![A-Za-z0-9])Token +token=[A-Za-z0-9_+-]{16,}/gi,
    contains: ['token='],
  },
  {
    name: 'a password in a URL',
    pattern: /(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@]{1,100}:[^\s@/]{1,100}@/gi,
    contains: ['://'],
  },
  // API keys are often 32+ hex digits. A git commit hash looks the same: the message says to shorten it.
  { name: 'a long hexadecimal key', pattern: /(?<![A-Za-z0-9_])[0-9a-fA-F]{32,}(?![A-Za-z0-9_])/g },
];

/** Keys whose value is a credential whatever it looks like. */
export const CREDENTIAL_KEY = /token|secret|passw(?:or)?d|api[-_]?key|private[-_]?key|credential/i;

export interface CredentialMatch {
  kind: string;
  offset: number;
  length: number;
}

/** Every credential-looking span in `text`, in order, overlapping matches merged into the first. */
export function findCredentials(text: string): CredentialMatch[] {
  const matches: CredentialMatch[] = [];
  // Case-insensitive patterns match ASCII letters in either case only (without the `u` flag no other
  // character folds to ASCII), so a lower-cased copy has their text whenever they can match.
  const lower = text.toLowerCase();
  for (const { name, pattern, contains } of CREDENTIAL_KINDS) {
    const haystack = pattern.ignoreCase ? lower : text;
    if (contains && !contains.some((part) => haystack.includes(part))) continue;
    for (const match of text.matchAll(pattern)) {
      matches.push({ kind: name, offset: match.index, length: match[0].length });
    }
  }
  matches.sort((a, b) => a.offset - b.offset || b.length - a.length);
  const merged: CredentialMatch[] = [];
  for (const match of matches) {
    const last = merged[merged.length - 1];
    if (last && match.offset < last.offset + last.length) continue;
    merged.push(match);
  }
  return merged;
}

/** The text with every credential-looking span replaced by its first four characters and `…`. */
export function redactCredentials(text: string): string {
  const matches = findCredentials(text);
  if (matches.length === 0) return text;
  let result = '';
  let cursor = 0;
  for (const { offset, length } of matches) {
    result += `${text.slice(cursor, offset)}${text.slice(offset, offset + 4)}…[redacted]`;
    cursor = offset + length;
  }
  return result + text.slice(cursor);
}
