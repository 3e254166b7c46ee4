import type { Diagnostic } from '../../diagnostics.js';
import { MAX_DIAGNOSTICS_PER_KIND } from '../yaml/limits.js';
import type { DocumentPath } from '../yaml/source-map.js';
import { codePointLabel, firstControlCharacter } from '../yaml/text-checks.js';
import type { Rule, RuleContext } from './context.js';

interface Found {
  path: DocumentPath;
  at: 'key' | 'value';
  char: string;
}

function walk(value: unknown, path: DocumentPath, into: Found[]): void {
  if (into.length >= MAX_DIAGNOSTICS_PER_KIND) return;
  if (typeof value === 'string') {
    const char = firstControlCharacter(value);
    if (char !== null) into.push({ path, at: 'value', char });
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) walk(item, [...path, index], into);
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      const char = firstControlCharacter(key);
      if (char !== null) into.push({ path: [...path, key], at: 'key', char });
      walk((value as Record<string, unknown>)[key], [...path, key], into);
    }
  }
}

/**
 * `text.control-character` for characters written as escapes (`"\0"`, `"\u202E"`) inside quoted
 * values: invisible in the file, present in the value. Characters typed into the file itself are
 * reported by the text scan of the reader, so lines that have one are skipped here.
 */
export const noEscapedControlCharacters: Rule = (context: RuleContext) => {
  const found: Found[] = [];
  walk(context.document, [], found);
  if (found.length === 0) return [];
  const lines = context.text.split('\n');
  const diagnostics: Diagnostic[] = [];
  for (const item of found) {
    const position =
      item.at === 'key' ? context.source.keyPosition(item.path) : context.source.valuePosition(item.path);
    if (firstControlCharacter((lines[position.line - 1] ?? '').replace(/\r$/, '')) !== null) continue;
    const diagnostic = item.at === 'key' ? context.atKey : context.atValue;
    diagnostics.push(
      diagnostic(
        item.path,
        'text.control-character',
        `this ${item.at} contains ${codePointLabel(item.char.codePointAt(0) ?? 0)}, written as an escape: ` +
          'remove it (such characters make text read differently from what it says, or break ids)',
      ),
    );
  }
  return diagnostics;
};
