/**
 * Whether a status part or a next step is real prose: the runbook's "one-paragraph status" cannot
 * be a placeholder left by a scaffold (`TODO: current hypothesis`) or a shrug (`-`, `n/a`, `???`).
 */
export type ProseProblem =
  | { kind: 'placeholder'; found: string }
  | { kind: 'too-short'; words: number }
  | null;

export const MIN_PROSE_WORDS = 3;

// `\u2026` is `…`: escaped so that the bundles are ASCII, which Node reads faster.

/** Placeholders that are the whole value. */
const WHOLE_VALUE_PLACEHOLDER = /^(?:\?+|n\/?a|-+|\.{3}|\u2026|none|tbd|todo|fixme|xxx)$/i;

/** Placeholders that give a value away wherever they appear in it. */
const EMBEDDED_PLACEHOLDERS: readonly RegExp[] = [
  /\b(?:TODO|TBD|FIXME)\b/i,
  /<\s*(?:\.{3}|\u2026|[A-Za-z][A-Za-z0-9 _.-]{0,60})\s*>/,
];

const ASCII_LETTER_OR_DIGIT = /[A-Za-z0-9]/;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Whether a token has a letter or a digit of any script. */
function isWord(token: string): boolean {
  // The ASCII test answers for most tokens and spares compiling the Unicode classes (a large regex,
  // a measurable part of a validation's start-up) until a token has no ASCII letter or digit.
  return ASCII_LETTER_OR_DIGIT.test(token) || LETTER_OR_DIGIT.test(token);
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter(isWord).length;
}

export function checkProse(text: string): ProseProblem {
  const trimmed = text.trim();
  if (WHOLE_VALUE_PLACEHOLDER.test(trimmed)) return { kind: 'placeholder', found: trimmed };
  for (const pattern of EMBEDDED_PLACEHOLDERS) {
    const match = pattern.exec(trimmed);
    if (match) return { kind: 'placeholder', found: match[0] };
  }
  const words = countWords(trimmed);
  return words < MIN_PROSE_WORDS ? { kind: 'too-short', words } : null;
}
