import type { Diagnostic } from '../../diagnostics.js';
import { diagnosticAt } from '../located.js';
import { MAX_DIAGNOSTICS_PER_KIND } from './limits.js';
import type { LineIndex } from './positions.js';

/**
 * Control characters (C0/C1 except tab and line breaks), format characters (bidi overrides,
 * zero-width spaces and joiners, a BOM that is not the first character) and the Unicode line and
 * paragraph separators. They make text read differently from what it says ("Trojan Source"), break
 * ids that must match exactly, and can drive a terminal when echoed. Tabs and line feeds are content
 * and never match (a match per line would cost a large file more than the parser does).
 */
const INVISIBLE_OR_CONTROL = /(?![\t\n])[\p{Cc}\p{Cf}\u2028\u2029]/gu;

const NAMES: Record<number, string> = {
  0: 'NUL',
  27: 'ESCAPE',
  127: 'DELETE',
  8203: 'ZERO WIDTH SPACE',
  8204: 'ZERO WIDTH NON-JOINER',
  8205: 'ZERO WIDTH JOINER',
  8206: 'LEFT-TO-RIGHT MARK',
  8207: 'RIGHT-TO-LEFT MARK',
  8234: 'LEFT-TO-RIGHT EMBEDDING',
  8235: 'RIGHT-TO-LEFT EMBEDDING',
  8236: 'POP DIRECTIONAL FORMATTING',
  8237: 'LEFT-TO-RIGHT OVERRIDE',
  8238: 'RIGHT-TO-LEFT OVERRIDE',
  8232: 'LINE SEPARATOR',
  8233: 'PARAGRAPH SEPARATOR',
  8288: 'WORD JOINER',
  8294: 'LEFT-TO-RIGHT ISOLATE',
  8295: 'RIGHT-TO-LEFT ISOLATE',
  8296: 'FIRST STRONG ISOLATE',
  8297: 'POP DIRECTIONAL ISOLATE',
  65279: 'ZERO WIDTH NO-BREAK SPACE (BOM)',
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
