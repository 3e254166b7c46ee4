import { redactCredentials } from './rules/credential-patterns.js';
import type { DocumentPath } from './yaml/source-map.js';

/**
 * How messages show values and places. Values come from the user's file, so what we echo is made
 * inert: control and invisible characters are spelt out, credentials redacted, length capped.
 */
const MAX_ECHOED_LENGTH = 60;

export function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return `\\u{${code.toString(16).toUpperCase().padStart(4, '0')}}`;
  });
}

/** A value as it appears inside a message: `…` quoted, one line, at most 60 characters. */
export function quoteValue(value: unknown): string {
  const raw = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  let text = printable(redactCredentials(raw)).replace(/`/g, "'");
  if (text.length > MAX_ECHOED_LENGTH) text = `${text.slice(0, MAX_ECHOED_LENGTH - 1)}…`;
  return `\`${text}\``;
}

export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return Number.isFinite(value) ? 'a number' : 'a non-finite number';
  if (typeof value === 'boolean') return 'true/false';
  return typeof value;
}

/** `incidents[0].status.lastAction`; the empty path is `root`. */
export function describePath(path: DocumentPath, root: string): string {
  if (path.length === 0) return root;
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? printable(segment) : `.${printable(segment)}`;
  }
  return text;
}

/** Splits an ajv instance path (a JSON pointer) into segments; digits become indexes. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^(0|[1-9][0-9]*)$/.test(part) ? Number(part) : part));
}
