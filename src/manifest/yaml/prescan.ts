/**
 * Estimates how deeply a YAML text nests, without parsing it. yaml 2.9.1 on Node 20 can abort the
 * whole process (an uncatchable out-of-memory in V8's RegExp compiler) on the second deeply nested
 * document it composes in one process, so the depth must be known before the parser runs.
 *
 * The estimate counts block levels by indentation (and `- `/`? ` indicators on one line) plus flow
 * levels by `[`/`{` outside quotes, comments and scalars. It never counts more levels than the
 * document has, so a valid manifest is never rejected; it may count fewer (a block sequence written
 * at its parent's indentation), which is why the exact depth is checked again on the syntax tree
 * before the document is composed (see strict-yaml.ts).
 */

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;

function isBlank(code: number | undefined): boolean {
  return code === undefined || code === SPACE || code === TAB || code === CR || code === 0x0a;
}

class NestingScanner {
  /** Columns of the open block collections, innermost last. */
  private readonly indents: number[] = [];
  private flowDepth = 0;
  /** Inside a quoted scalar that continues on the next line. */
  private quote: '"' | "'" | null = null;
  /** Lines indented deeper than this continue a scalar (block scalar or multi-line plain scalar). */
  private scalarParentIndent: number | null = null;
  /** In a flow collection: whether the next token starts a node (where a quote opens a string). */
  private atFlowNodeStart = true;
  private lineStart = 0;
  private exceededAt: number | null = null;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  scan(): number | null {
    const { text } = this;
    let start = 0;
    while (start <= text.length && this.exceededAt === null) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      this.scanLine(start, end);
      start = end + 1;
    }
    return this.exceededAt;
  }

  private get depth(): number {
    return this.indents.length + this.flowDepth;
  }

  private check(offset: number): void {
    if (this.exceededAt === null && this.depth > this.maxDepth) this.exceededAt = offset;
  }

  private pushBlockLevel(column: number, offset: number): void {
    const top = this.indents[this.indents.length - 1] ?? -1;
    if (column > top) {
      this.indents.push(column);
      this.check(offset);
    }
  }

  private scanLine(start: number, end: number): void {
    const { text } = this;
    this.lineStart = start;
    let p = start;
    if (this.quote !== null) {
      p = this.scanQuoted(p, end);
      if (this.quote !== null) return;
      if (this.flowDepth > 0) this.scanFlow(p, end);
      return;
    }
    if (this.flowDepth > 0) {
      this.scanFlow(p, end);
      return;
    }
    while (p < end && text.charCodeAt(p) === SPACE) p++;
    const indent = p - start;
    const first = text.charCodeAt(p);
    const blankLine = p >= end || isBlank(first) || first === TAB;
    if (
      indent === 0 &&
      (text.startsWith('---', p) || text.startsWith('...', p)) &&
      isBlank(text.charCodeAt(p + 3))
    ) {
      // A document marker ends any scalar and every open collection.
      this.scalarParentIndent = null;
      this.indents.length = 0;
      this.scanBlockNodes(p + 3, end, -1);
      return;
    }
    if (this.scalarParentIndent !== null) {
      if (blankLine || indent > this.scalarParentIndent) return;
      this.scalarParentIndent = null;
    }
    if (blankLine || first === 0x23 /* # */) return;
    while (this.indents.length > 0 && (this.indents[this.indents.length - 1] ?? -1) > indent)
      this.indents.pop();
    this.pushBlockLevel(indent, p);
    this.scanBlockNodes(p, end, indent);
  }

  /** The rest of a block-context line from `p`: indicators, properties, a key, then its value. */
  private scanBlockNodes(p: number, end: number, lineIndent: number): void {
    const { text } = this;
    for (;;) {
      while (p < end && (text.charCodeAt(p) === SPACE || text.charCodeAt(p) === TAB)) p++;
      if (p >= end) return;
      const c = text[p];
      if (c === '#' || c === '\r') return;
      if ((c === '-' || c === '?') && isBlank(text.charCodeAt(p + 1))) {
        // A sequence entry or explicit key: the node after it on this line is one level deeper.
        this.pushBlockLevel(p - this.lineStart, p);
        p += 1;
        continue;
      }
      if (c === ':' && isBlank(text.charCodeAt(p + 1))) {
        p += 1;
        continue;
      }
      if (c === '&' || c === '!') {
        while (p < end && !isBlank(text.charCodeAt(p))) p++;
        continue;
      }
      if (c === '[' || c === '{') {
        this.atFlowNodeStart = true;
        this.scanFlow(p, end);
        return;
      }
      if (c === '|' || c === '>') {
        this.scalarParentIndent = lineIndent;
        return;
      }
      if (c === '"' || c === "'") {
        const keyColumn = p - this.lineStart;
        this.quote = c;
        p = this.scanQuoted(p + 1, end);
        if (this.quote !== null) return;
        while (p < end && text.charCodeAt(p) === SPACE) p++;
        if (text[p] === ':' && isBlank(text.charCodeAt(p + 1))) {
          this.pushBlockLevel(keyColumn, p);
          p += 1;
          continue;
        }
        return;
      }
      // A plain scalar: either a key (followed by `: `) or a value that runs to the end of the line
      // and may continue on more-indented lines.
      const keyColumn = p - this.lineStart;
      let q = p;
      while (q < end) {
        const ch = text[q];
        if (ch === ':' && isBlank(text.charCodeAt(q + 1))) break;
        if (ch === '#' && (text[q - 1] === ' ' || text[q - 1] === '\t')) {
          this.scalarParentIndent = lineIndent;
          return;
        }
        q++;
      }
      if (q >= end) {
        this.scalarParentIndent = lineIndent;
        return;
      }
      this.pushBlockLevel(keyColumn, p);
      p = q + 1;
    }
  }

  /** Inside `[`…`]` / `{`…`}`: counts brackets outside quoted strings and comments. */
  private scanFlow(p: number, end: number): void {
    const { text } = this;
    while (p < end) {
      const c = text[p];
      if (c === '[' || c === '{') {
        this.flowDepth++;
        this.check(p);
        if (this.exceededAt !== null) return;
        this.atFlowNodeStart = true;
      } else if (c === ']' || c === '}') {
        this.flowDepth = Math.max(0, this.flowDepth - 1);
        this.atFlowNodeStart = false;
        if (this.flowDepth === 0) return;
      } else if (c === ',' || c === ':' || c === '?') {
        this.atFlowNodeStart = true;
      } else if ((c === '"' || c === "'") && this.atFlowNodeStart) {
        this.quote = c;
        p = this.scanQuoted(p + 1, end);
        if (this.quote !== null) return;
        this.atFlowNodeStart = false;
        continue;
      } else if (c === '#' && (p === this.lineStart || isBlank(text.charCodeAt(p - 1)))) {
        return;
      } else if (c !== ' ' && c !== '\t' && c !== '\r') {
        this.atFlowNodeStart = false;
      }
      p++;
    }
  }

  /** Consumes a quoted scalar's text from `p`; clears `quote` when it closes. */
  private scanQuoted(p: number, end: number): number {
    const { text } = this;
    while (p < end) {
      const c = text[p];
      if (this.quote === '"') {
        if (c === '\\') {
          p += 2;
          continue;
        }
        if (c === '"') {
          this.quote = null;
          return p + 1;
        }
      } else if (c === "'") {
        if (text[p + 1] === "'") {
          p += 2;
          continue;
        }
        this.quote = null;
        return p + 1;
      }
      p++;
    }
    return end;
  }
}

/**
 * The offset at which the estimated nesting depth of `text` first exceeds `maxDepth`, or null.
 * Linear in the length of the text; never throws.
 */
export function findExcessiveNesting(text: string, maxDepth: number): number | null {
  return new NestingScanner(text, maxDepth).scan();
}
