import type { Diagnostic } from '../../diagnostics.js';
import { diagnosticAt } from '../located.js';
import { printable } from '../wording.js';
import { MAX_DIAGNOSTICS_PER_KIND } from '../yaml/limits.js';
import type { DocumentPath } from '../yaml/source-map.js';
import type { Rule, RuleContext } from './context.js';
import { CREDENTIAL_KEY, findCredentials } from './credential-patterns.js';

const WHY =
  'credentials never belong in a manifest (tokens come from the environment; impersonation tokens are ' +
  'per-human and never handed over): delete it, and revoke it if it was ever pushed';

/** Every key in the document with its path (the document is at most 32 levels deep). */
function keyPaths(value: unknown, path: DocumentPath, into: DocumentPath[]): void {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) keyPaths(item, [...path, index], into);
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      into.push([...path, key]);
      keyPaths((value as Record<string, unknown>)[key], [...path, key], into);
    }
  }
}

function credentialKeys(context: RuleContext): Diagnostic[] {
  const paths: DocumentPath[] = [];
  keyPaths(context.document, [], paths);
  return paths
    .filter((path) => CREDENTIAL_KEY.test(String(path[path.length - 1])))
    .slice(0, MAX_DIAGNOSTICS_PER_KIND)
    .map((path) =>
      context.atKey(
        path,
        'secret.credential',
        `the key \`${printable(String(path[path.length - 1]))}\` holds a credential: ${WHY}`,
      ),
    );
}

/**
 * `secret.credential`: nothing in the file looks like a token, key or password, in values, keys or
 * comments alike (a comment is pushed to git too). Works on the text, so it runs even when the YAML
 * is broken.
 */
export const noCredentials: Rule = (context) => {
  const found = findCredentials(context.text)
    .slice(0, MAX_DIAGNOSTICS_PER_KIND)
    .map((match) => {
      const hint =
        match.kind === 'a long hexadecimal key'
          ? ' (if it is a commit hash, shorten it to its first 12 characters)'
          : '';
      return diagnosticAt(
        context.file,
        context.source.position(match.offset),
        'secret.credential',
        `this looks like ${match.kind}${hint}: ${WHY}`,
      );
    });
  return [...found, ...credentialKeys(context)];
};
