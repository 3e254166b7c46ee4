/**
 * Whether a status part or a next step is real prose: the runbook's "one-paragraph status" cannot
 * be a placeholder left by a scaffold (`TODO: current hypothesis`) or a shrug (`-`, `n/a`, `???`).
 */
export type ProseProblem =
  | { kind: 'placeholder'; found: string }
  | { kind: 'too-short'; words: number }
  | null;

export const MIN_PROSE_WORDS = 3;

/** Placeholders that are the whole value. */
const WHOLE_VALUE_PLACEHOLDER = /^(?:\?+|n\/?a|-+|\.{3}|…|none|tbd|todo|fixme|xxx)$/i;

/** Placeholders that give a value away wherever they appear in it. */
const EMBEDDED_PLACEHOLDERS: readonly RegExp[] = [
  /\b(?:TODO|TBD|FIXME)\b/i,
  /<\s*(?:\.{3}|…|[A-Za-z][A-Za-z0-9 _.-]{0,60})\s*>/,
];

export function countWords(text: string): number {
  return text.split(/\s+/).filter((token) => /[\p{L}\p{N}]/u.test(token)).length;
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
