import {
  Composer,
  type CST,
  type Document,
  type DocumentOptions,
  type ErrorCode,
  isScalar,
  Lexer,
  type Node,
  type ParseOptions,
  Parser,
  type SchemaOptions,
  visit,
} from 'yaml';
import type { Diagnostic } from '../../diagnostics.js';
import { diagnosticAt } from '../located.js';
import {
  MAX_COLLECTION_ENTRIES,
  MAX_DIAGNOSTICS_PER_KIND,
  MAX_DOCUMENT_BYTES,
  MAX_NESTING_DEPTH,
  MAX_YAML_TOKENS,
} from './limits.js';
import { LineIndex, START_OF_FILE } from './positions.js';
import { findExcessiveNesting } from './prescan.js';
import { keyText, SourceMap } from './source-map.js';
import { findControlCharacters } from './text-checks.js';

/**
 * YAML 1.2 core semantics whatever the document says (`on`, `NO`, `0777` stay what they look like),
 * no merge keys, no custom tags, every key a string and unique. Aliases never resolve (maxAliasCount 0
 * below), and any alias, anchor, tag or directive is reported before composing.
 */
const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  schema: 'core',
  version: '1.2',
  merge: false,
  customTags: [],
  uniqueKeys: true,
  strict: true,
  stringKeys: true,
  prettyErrors: false,
  // Our diagnostics say what went wrong; the library must not print to the console.
  logLevel: 'silent',
};

export interface StrictYaml {
  /** The document as plain data, or undefined when the YAML itself has an error. */
  value: unknown;
  /** Locates paths of the document in the source (works on whatever could be read). */
  source: SourceMap;
  /** The text with a leading byte-order mark removed: what positions refer to. */
  text: string;
  diagnostics: Diagnostic[];
}

const RULE_BY_CODE: Partial<Record<ErrorCode, string>> = {
  TAB_AS_INDENT: 'yaml.tab-indent',
  BAD_ALIAS: 'yaml.alias',
  ALIAS_PROPS: 'yaml.alias',
  MULTIPLE_ANCHORS: 'yaml.alias',
  MULTIPLE_TAGS: 'yaml.tag',
  BAD_DIRECTIVE: 'yaml.directive',
  MULTIPLE_DOCS: 'yaml.multiple-documents',
  RESOURCE_EXHAUSTION: 'yaml.too-deep',
};

// yaml reads an over-indented `key: value` line as the continuation of the value above it.
const CONTINUED_VALUE_HINT =
  'the value here continues on the next line, and a continued value cannot contain `key: value`: if the ' +
  'next line is a key, indent it like the keys next to it; if it belongs to this value, quote the value';

const HINT_BY_CODE: Partial<Record<ErrorCode, string>> = {
  BAD_INDENT: 'indent every key of a mapping by the same number of spaces',
  MULTILINE_IMPLICIT_KEY: CONTINUED_VALUE_HINT,
  BLOCK_AS_IMPLICIT_KEY: CONTINUED_VALUE_HINT,
  MISSING_CHAR: 'close every quote, `[` and `{`',
  UNEXPECTED_TOKEN: 'quote a value that starts with a special character such as @, %, -, | or >',
  BAD_SCALAR_START: 'quote a value that starts with a special character such as @, %, -, | or >',
  NON_STRING_KEY: 'keys are plain words such as `id`',
  KEY_OVER_1024_CHARS: 'keys are plain words such as `id`',
  BAD_DQ_ESCAPE: 'use single quotes, or a valid escape such as `\\n` inside double quotes',
};

const TAB_MESSAGE = 'a tab is used for indentation: YAML indents with spaces only; replace the tab with spaces';

function syntaxMessage(code: ErrorCode, yamlMessage: string): string {
  const first = (yamlMessage.split('\n')[0] ?? yamlMessage).replace(/\s+at line \d+, column \d+.*$/, '');
  if (/^Nested mappings are not allowed in compact mappings/.test(first)) return CONTINUED_VALUE_HINT;
  if (/block-seq-ind on same line/.test(first)) {
    return 'a `-` after a key on the same line starts a list, which YAML does not allow there: put list items on the next lines, or quote the value';
  }
  const hint = HINT_BY_CODE[code];
  const text = first.charAt(0).toLowerCase() + first.slice(1);
  return hint ? `${text}: ${hint}` : text;
}

interface CstFindings {
  depthExceededAt: number | null;
  /** A mapping or list with more than MAX_COLLECTION_ENTRIES entries: its offset and size. */
  oversized: { offset: number; entries: number } | null;
  anchors: number[];
  tags: number[];
  aliases: number[];
  /** Values where none can be (after a value's end): the first few offsets, and how many in all. */
  strays: number[];
  strayCount: number;
}

const VALUE_TOKENS = new Set([
  'scalar',
  'single-quoted-scalar',
  'double-quoted-scalar',
  'block-scalar',
  'alias',
  'flow-collection',
  'block-map',
  'block-seq',
  'error',
]);

/**
 * One iterative pass over the concrete syntax tree (the parser builds it without recursion, so it is
 * safe at any depth): the exact nesting depth, and where anchors, tags and aliases are written.
 */
function inspectCst(root: unknown, maxDepth: number): CstFindings {
  const findings: CstFindings = {
    depthExceededAt: null,
    oversized: null,
    anchors: [],
    tags: [],
    aliases: [],
    strays: [],
    strayCount: 0,
  };
  const stack: { token: unknown; depth: number }[] = [{ token: root, depth: 0 }];
  while (stack.length > 0) {
    const { token, depth } = stack.pop() as { token: unknown; depth: number };
    if (Array.isArray(token)) {
      for (const item of token) stack.push({ token: item, depth });
      continue;
    }
    if (typeof token !== 'object' || token === null) continue;
    const { type, offset } = token as { type?: unknown; offset?: unknown };
    let childDepth = depth;
    if (typeof offset === 'number') {
      if (type === 'block-map' || type === 'block-seq' || type === 'flow-collection') {
        childDepth = depth + 1;
        if (childDepth > maxDepth) {
          findings.depthExceededAt = offset;
          return findings;
        }
        const { items } = token as { items?: unknown };
        if (Array.isArray(items) && items.length > MAX_COLLECTION_ENTRIES && findings.oversized === null) {
          findings.oversized = { offset, entries: items.length };
        }
      } else if (type === 'anchor' && findings.anchors.length < MAX_DIAGNOSTICS_PER_KIND) findings.anchors.push(offset);
      else if (type === 'tag' && findings.tags.length < MAX_DIAGNOSTICS_PER_KIND) findings.tags.push(offset);
      else if (type === 'alias' && findings.aliases.length < MAX_DIAGNOSTICS_PER_KIND) findings.aliases.push(offset);
    }
    const { end } = token as { end?: unknown };
    if (Array.isArray(end)) {
      for (const item of end) {
        const { type: itemType, offset: itemOffset } = item as { type?: unknown; offset?: unknown };
        if (typeof itemType !== 'string' || !VALUE_TOKENS.has(itemType) || typeof itemOffset !== 'number') continue;
        findings.strayCount++;
        if (findings.strays.length < MAX_DIAGNOSTICS_PER_KIND) findings.strays.push(itemOffset);
      }
    }
    for (const value of Object.values(token)) {
      if (typeof value === 'object' && value !== null) stack.push({ token: value, depth: childDepth });
    }
  }
  return findings;
}

/** No content at all: no node, or the empty scalar yaml puts in a document that has only `---`. */
function isEmptyNode(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null && (node.source ?? '') === '');
}

function leadingWhitespaceHasTab(text: string, lineStartOffset: number): boolean {
  for (let i = lineStartOffset; i < text.length; i++) {
    const c = text[i];
    if (c === '\t') return true;
    if (c !== ' ') return false;
  }
  return false;
}

/** `yaml.duplicate-key` with the first occurrence named (the parser only says "must be unique"). */
function findDuplicateKeys(doc: Document, source: SourceMap, file: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        const name = keyText(pair);
        const range = (pair.key as Node | null)?.range;
        if (name === null || !range) continue;
        const first = seen.get(name);
        if (first === undefined) {
          seen.set(name, range[0]);
          continue;
        }
        if (found.length >= MAX_DIAGNOSTICS_PER_KIND) return visit.BREAK;
        found.push(
          diagnosticAt(
            file,
            source.position(range[0]),
            'yaml.duplicate-key',
            `duplicate key \`${name}\`: it is already set on line ${source.position(first).line}; keep one of them`,
          ),
        );
      }
      return undefined;
    },
  });
  return found;
}

export function tooLargeDiagnostic(file: string, bytes: number): Diagnostic {
  return diagnosticAt(
    file,
    START_OF_FILE,
    'yaml.too-large',
    `the file is ${bytes} bytes; the limit is ${MAX_DOCUMENT_BYTES} bytes (1 MiB): a manifest lists ` +
      'incidents, tickets and rollouts in a few kilobytes, so split or trim it',
  );
}

/**
 * Reads one YAML document under the strict rules of spec §1: size and depth are checked before the
 * parser runs, then aliases, anchors, tags, directives, extra documents, duplicate keys and syntax
 * errors become located diagnostics. Never throws for any input.
 */
export function readStrictYaml(rawText: string, file: string): StrictYaml {
  const text = rawText.startsWith('\ufeff') ? rawText.slice(1) : rawText;
  const lines = new LineIndex(text);
  const unreadable = (diagnostics: Diagnostic[]): StrictYaml => ({
    value: undefined,
    source: new SourceMap(null, lines),
    text,
    diagnostics,
  });

  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_DOCUMENT_BYTES) return unreadable([tooLargeDiagnostic(file, bytes)]);

  const diagnostics = findControlCharacters(text, lines, file);
  const tooDeep = (offset: number): StrictYaml =>
    unreadable([
      ...diagnostics,
      diagnosticAt(
        file,
        lines.position(offset),
        'yaml.too-deep',
        `nesting deeper than ${MAX_NESTING_DEPTH} levels starts here: a manifest is at most four levels ` +
          'deep (handover → incidents → incident → status); flatten the structure',
      ),
    ]);

  const prescanOffset = findExcessiveNesting(text, MAX_NESTING_DEPTH);
  if (prescanOffset !== null) return tooDeep(prescanOffset);

  // The lexer and parser are driven token by token so that a document of many small tokens is refused
  // before parsing it costs more than a fraction of a second.
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  let lexemes = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (++lexemes > MAX_YAML_TOKENS) {
      return unreadable([
        ...diagnostics,
        diagnosticAt(
          file,
          lines.position(parser.offset),
          'yaml.too-large',
          `the document has more than ${MAX_YAML_TOKENS} YAML tokens by here; a manifest has a few thousand: ` +
            'split or trim it',
        ),
      ]);
    }
    for (const token of parser.next(lexeme)) tokens.push(token);
  }
  for (const token of parser.end()) tokens.push(token);
  let documents = 0;
  let strayCount = 0;
  const strays: number[] = [];
  const yamlErrors: Diagnostic[] = [];
  for (const token of tokens) {
    if (token.type === 'error') {
      strayCount++;
      if (strays.length < MAX_DIAGNOSTICS_PER_KIND) strays.push(token.offset);
    } else if (token.type === 'directive') {
      yamlErrors.push(
        diagnosticAt(
          file,
          lines.position(token.offset),
          'yaml.directive',
          `the directive \`${token.source.split(/\s/)[0]}\` is not allowed: manifests are always read as YAML 1.2; ` +
            'delete this line',
        ),
      );
    } else if (token.type === 'document') {
      documents++;
      if (documents === 2) {
        yamlErrors.push(
          diagnosticAt(
            file,
            lines.position(token.offset),
            'yaml.multiple-documents',
            'a second YAML document starts here: one file holds one manifest; move it to its own file ' +
              'or delete the `---` line',
          ),
        );
      }
      const cst = inspectCst(token, MAX_NESTING_DEPTH);
      if (cst.depthExceededAt !== null) return tooDeep(cst.depthExceededAt);
      if (cst.oversized !== null) {
        return unreadable([
          ...diagnostics,
          diagnosticAt(
            file,
            lines.position(cst.oversized.offset),
            'yaml.too-large',
            `this mapping or list has ${cst.oversized.entries} entries; at most ${MAX_COLLECTION_ENTRIES} are ` +
              'allowed (a manifest lists at most 200 incidents or tickets): split the handover',
          ),
        ]);
      }
      strayCount += cst.strayCount;
      strays.push(...cst.strays);
      for (const offset of cst.anchors)
        yamlErrors.push(
          diagnosticAt(
            file,
            lines.position(offset),
            'yaml.alias',
            'anchors (`&name`) are not allowed: write the value out in full',
          ),
        );
      for (const offset of cst.aliases)
        yamlErrors.push(
          diagnosticAt(
            file,
            lines.position(offset),
            'yaml.alias',
            'aliases (`*name`) are not allowed: write the value out in full',
          ),
        );
      for (const offset of cst.tags)
        yamlErrors.push(
          diagnosticAt(
            file,
            lines.position(offset),
            'yaml.tag',
            'explicit tags (`!…`, `!!…`) are not allowed: write plain values, and quote a value that ' +
              'must stay text',
          ),
        );
    }
  }

  if (strayCount > MAX_DIAGNOSTICS_PER_KIND) {
    // Composing would report each stray value one by one, slowly: a handful makes the point.
    const located = strays
      .sort((a, b) => a - b)
      .slice(0, MAX_DIAGNOSTICS_PER_KIND)
      .map((offset) =>
        diagnosticAt(
          file,
          lines.position(offset),
          'yaml.syntax',
          'unexpected content here: a value can only follow a key, a `- ` or a `,`; quote text that belongs together',
        ),
      );
    return unreadable([...diagnostics, ...yamlErrors, ...located]);
  }

  const composed = Array.from(new Composer(YAML_OPTIONS).compose(tokens, true, text.length));
  const doc = composed[0];
  const root = (doc?.contents as Node | null | undefined) ?? null;
  const source = new SourceMap(root, lines);
  if (doc) {
    for (const error of doc.errors) {
      // Reported above with better messages, or by findDuplicateKeys below.
      if (error.code === 'DUPLICATE_KEY' || error.code === 'MULTIPLE_DOCS' || error.code === 'BAD_DIRECTIVE') {
        continue;
      }
      const offset = error.pos[0];
      const position = lines.position(offset);
      const lineStart = offset - (position.column - 1);
      let rule = RULE_BY_CODE[error.code] ?? 'yaml.syntax';
      let message = syntaxMessage(error.code, error.message);
      if (rule === 'yaml.tab-indent' || (rule === 'yaml.syntax' && leadingWhitespaceHasTab(text, lineStart))) {
        rule = 'yaml.tab-indent';
        message = TAB_MESSAGE;
      }
      if (rule === 'yaml.too-deep') message = `the document is nested too deeply: ${message}`;
      // The parser often reports one mistake twice at the same place; the first says it best.
      if (yamlErrors.some((d) => d.line === position.line && d.column === position.column)) continue;
      yamlErrors.push(diagnosticAt(file, position, rule, message));
      if (yamlErrors.length >= MAX_DIAGNOSTICS_PER_KIND) break;
    }
    yamlErrors.push(...findDuplicateKeys(doc, source, file));
  }
  if (!doc || isEmptyNode(root)) {
    if (yamlErrors.length === 0)
      yamlErrors.push(
        diagnosticAt(
          file,
          START_OF_FILE,
          'yaml.empty',
          'the document is empty: a manifest is a mapping that starts with `apiVersion: handover/v1`',
        ),
      );
  }
  if (yamlErrors.length > 0 || !doc) return { value: undefined, source, text, diagnostics: [...diagnostics, ...yamlErrors] };

  try {
    const value: unknown = doc.toJS({ maxAliasCount: 0, mapAsMap: false });
    return { value, source, text, diagnostics };
  } catch (error) {
    // Not expected after the checks above; reported as a located finding rather than a crash.
    return {
      value: undefined,
      source,
      text,
      diagnostics: [
        ...diagnostics,
        diagnosticAt(
          file,
          START_OF_FILE,
          'yaml.syntax',
          `the document cannot be read: ${error instanceof Error ? error.message : String(error)}`,
        ),
      ],
    };
  }
}

/** Whether the value is a mapping as YAML reads it (a plain object, never an array). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
