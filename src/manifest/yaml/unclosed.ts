/**
 * Where an unclosed flow collection (`[`, `{`) or quote was opened. The YAML parser notices one only
 * where it runs out of room (the next line, or the end of the file) and reports it there, often as an
 * indentation problem; the user needs the opener. A small scanner over the text up to that point: quotes
 * start a scalar only at the start of a value, `#` after a blank starts a comment, a flow collection's
 * brackets nest.
 */

export interface Opener {
  /** Offset of the opening character. */
  offset: number;
  char: '[' | '{' | '"' | "'";
}

/** A quote starts a scalar where a value may start: line start, after a blank, `[`, `{`, `,` or `:`. */
function canStartScalar(previous: string | undefined): boolean {
  return previous === undefined || /[\s[{,:]/.test(previous);
}

/** The innermost opener still open at `end` (exclusive), or null. */
export function unclosedOpener(text: string, end: number): Opener | null {
  const stack: Opener[] = [];
  let quote: Opener | null = null;
  for (let i = 0; i < Math.min(end, text.length); i += 1) {
    const c = text[i] as string;
    if (quote) {
      if (quote.char === "'" && c === "'") {
        if (text[i + 1] === "'")
          i += 1; // '' is an escaped quote inside single quotes
        else quote = null;
      } else if (quote.char === '"' && c === '\\') i += 1;
      else if (quote.char === '"' && c === '"') quote = null;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) {
      while (i < text.length && text[i] !== '\n') i += 1;
      continue;
    }
    if ((c === '"' || c === "'") && canStartScalar(text[i - 1])) quote = { offset: i, char: c };
    else if ((c === '[' || c === '{') && (stack.length > 0 || canStartScalar(text[i - 1])))
      stack.push({ offset: i, char: c });
    else if ((c === ']' || c === '}') && stack.length > 0) stack.pop();
  }
  return quote ?? stack.at(-1) ?? null;
}

const CLOSER = { '[': ']', '{': '}', '"': '"', "'": "'" } as const;

/** What to say at the opener. */
export function unclosedMessage(opener: Opener): string {
  const close = CLOSER[opener.char];
  if (opener.char === '[')
    return 'this `[` is never closed: end the list with `]`, or write its items on lines of their own, each starting with `- `';
  if (opener.char === '{')
    return 'this `{` is never closed: end the mapping with `}`, or write its keys on lines of their own';
  return `this \`${opener.char}\` is never closed: end the quoted value with \`${close}\``;
}
