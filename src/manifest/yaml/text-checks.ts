import type { Diagnostic } from '../../diagnostics.js';
import { diagnosticAt } from '../located.js';
import { MAX_DIAGNOSTICS_PER_KIND } from './limits.js';
import type { LineIndex } from './positions.js';

/**
 * Control characters (C0/C1 except tab and line breaks), format characters (bidi overrides,
 * zero-width spaces and joiners, a BOM that is not the first character) and the Unicode line and
 * paragraph separators. They make text read differently from what it says ("Trojan Source"), break
 * ids that must match exactly, and can drive a terminal when echoed.
 */
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

const NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x1b: 'ESCAPE',
  0x7f: 'DELETE',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE (BOM)',
};

/** The first control or invisible character in a parsed value (tabs and line breaks are content), or null. */
export function firstControlCharacter(value: string): string | null {
  for (const match of value.matchAll(INVISIBLE_OR_CONTROL)) {
    if (match[0] !== '\t' && match[0] !== '\n') return match[0];
  }
  return null;
}

export function codePointLabel(codePoint: number): string {
  const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
  const name = NAMES[codePoint];
  return name ? `U+${hex} (${name})` : `U+${hex}`;
}

/** `text.control-character`: one finding per line, at the first such character on it. */
export function findControlCharacters(text: string, lines: LineIndex, file: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  let lastLine = 0;
  for (const match of text.matchAll(INVISIBLE_OR_CONTROL)) {
    const offset = match.index;
    const char = match[0];
    if (char === '\t' || char === '\n') continue;
    // A carriage return is a line break when it ends a line (CRLF files are fine).
    if (char === '\r' && (text[offset + 1] === '\n' || offset + 1 === text.length)) continue;
    const position = lines.position(offset);
    if (position.line === lastLine) continue;
    lastLine = position.line;
    found.push(
      diagnosticAt(
        file,
        position,
        'text.control-character',
        `invisible or control character ${codePointLabel(char.codePointAt(0) ?? 0)} here: delete it and retype ` +
          'the text (such characters make text read differently from what it says, or break ids)',
      ),
    );
    if (found.length >= MAX_DIAGNOSTICS_PER_KIND) break;
  }
  return found;
}
