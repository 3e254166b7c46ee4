/**
 * What a credential looks like, for `secret.credential` and for redacting any source text we echo
 * (a caret display must not print a token into a CI log).
 */
export interface CredentialKind {
  name: string;
  pattern: RegExp;
}

// Each pattern may start only where a run of its characters starts (the lookbehinds): a failed match
// then costs at most the length of one run, so scanning stays linear even on hostile text.
export const CREDENTIAL_KINDS: readonly CredentialKind[] = [
  { name: 'a Slack token', pattern: /(?<![A-Za-z0-9-])xox[abprs]-[A-Za-z0-9-]{8,}/g },
  { name: 'a Slack app token', pattern: /(?<![A-Za-z0-9-])xapp-[0-9]-[A-Za-z0-9-]{8,}/g },
  { name: 'a GitHub token', pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{20,}/g },
  { name: 'a GitHub fine-grained token', pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{20,}/g },
  { name: 'a GitLab token', pattern: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}/g },
  {
    name: 'a JSON Web Token',
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  },
  { name: 'an AWS access key id', pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g },
  { name: 'a PagerDuty user API token', pattern: /(?<![A-Za-z0-9_+-])u\+[A-Za-z0-9_-]{16,}/g },
  { name: 'a private key', pattern: /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/g },
  { name: 'a bearer token', pattern: /(?<![A-Za-z0-9])Bearer +[A-Za-z0-9._~+/-]{16,}/gi },
  { name: 'a PagerDuty API token', pattern: /(?<![A-Za-z0-9])Token +token=[A-Za-z0-9_+-]{16,}/gi },
  {
    name: 'a password in a URL',
    pattern: /(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@]{1,100}:[^\s@/]{1,100}@/gi,
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
  for (const { name, pattern } of CREDENTIAL_KINDS) {
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
