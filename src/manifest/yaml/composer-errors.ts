import type { Document, ErrorCode, Node } from 'yaml';
import { visit } from 'yaml';
import type { Diagnostic } from '../../diagnostics.js';
import type { RuleId } from '../../rules/registry.js';
import { diagnosticAt } from '../located.js';
import { MAX_DIAGNOSTICS_PER_KIND } from './limits.js';
import type { LineIndex } from './positions.js';
import { keyText, type SourceMap } from './source-map.js';
import { unclosedMessage, unclosedOpener } from './unclosed.js';

const RULE_BY_CODE: Partial<Record<ErrorCode, RuleId>> = {
  TAB_AS_INDENT: 'yaml.tab-indent',
  BAD_ALIAS: 'yaml.alias',
  ALIAS_PROPS: 'yaml.alias',
  MULTIPLE_ANCHORS: 'yaml.alias',
  MULTIPLE_TAGS: 'yaml.tag',
  RESOURCE_EXHAUSTION: 'yaml.too-deep',
};

/** Reported from the syntax tree with better messages (checkSyntaxTree), or by findDuplicateKeys. */
const REPORTED_ELSEWHERE: ReadonlySet<ErrorCode> = new Set([
  'DUPLICATE_KEY',
  'MULTIPLE_DOCS',
  'BAD_DIRECTIVE',
]);

// yaml reads an over-indented `key: value` line as the continuation of the value above it.
const CONTINUED_VALUE_HINT =
  'the value here continues on the next line, and a continued value cannot contain `key: value`: if the ' +
  'next line is a key, indent it like the keys next to it; if it belongs to this value, quote the value';

const SPECIAL_START_HINT = 'quote a value that starts with a special character such as @, %, -, | or >';

const HINT_BY_CODE: Partial<Record<ErrorCode, string>> = {
  BAD_INDENT: 'indent every key of a mapping by the same number of spaces',
  MULTILINE_IMPLICIT_KEY: CONTINUED_VALUE_HINT,
  BLOCK_AS_IMPLICIT_KEY: CONTINUED_VALUE_HINT,
  UNEXPECTED_TOKEN: SPECIAL_START_HINT,
  BAD_SCALAR_START: SPECIAL_START_HINT,
  NON_STRING_KEY: 'keys are plain words such as `id`',
  KEY_OVER_1024_CHARS: 'keys are plain words such as `id`',
  BAD_DQ_ESCAPE: 'use single quotes, or a valid escape such as `\\n` inside double quotes',
};

const TAB_MESSAGE =
  'a tab is used for indentation: YAML indents with spaces only; replace the tab with spaces';

/** yaml's message, first line only, made into advice where we know better. */
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

function leadingWhitespaceHasTab(text: string, lineStartOffset: number): boolean {
  for (let i = lineStartOffset; i < text.length; i++) {
    const c = text[i];
    if (c === '\t') return true;
    if (c !== ' ') return false;
  }
  return false;
}

/** yaml's complaints that mean "a flow collection or a quote was never closed". */
function isUnclosed(code: ErrorCode, message: string): boolean {
  return (
    (code === 'BAD_INDENT' && /^Flow (sequence|map) in block collection .*end with a [\]}]/.test(message)) ||
    (code === 'MISSING_CHAR' && /^Missing closing ["']quote/.test(message)) ||
    (code === 'MISSING_CHAR' && /^Expected flow (sequence|map) to end with/.test(message))
  );
}

/** A line that is neither `key: value` nor a list item (a stray word or sentence). */
function strayLine(code: ErrorCode, message: string, text: string, offset: number): string | null {
  const implicitKey =
    (code === 'MISSING_CHAR' && /^Implicit map keys need to be followed by map values/.test(message)) ||
    code === 'MULTILINE_IMPLICIT_KEY';
  if (!implicitKey) return null;
  const end = text.indexOf('\n', offset);
  const line = text.slice(offset, end < 0 ? text.length : end).trim();
  if (line === '' || line.includes(':') || line.startsWith('-') || line.startsWith('#')) return null;
  return `\`${line.length > 40 ? `${line.slice(0, 40)}…` : line}\` is neither \`key: value\` nor a list item: write it as \`key: value\`, indent it under the key it belongs to, or remove it`;
}

/**
 * The composer's errors as located diagnostics: a mistake in a line indented with a tab is reported
 * as the tab, and one mistake reported twice at the same place is reported once.
 */
export function composerDiagnostics(
  doc: Document,
  text: string,
  lines: LineIndex,
  file: string,
): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const error of doc.errors) {
    if (REPORTED_ELSEWHERE.has(error.code)) continue;
    let offset = error.pos[0];
    let rule: RuleId = RULE_BY_CODE[error.code] ?? 'yaml.syntax';
    let message = syntaxMessage(error.code, error.message);
    // Point at what was never closed, not where the parser gave up on it.
    const opener = isUnclosed(error.code, error.message) ? unclosedOpener(text, offset + 1) : null;
    if (opener) {
      offset = opener.offset;
      message = unclosedMessage(opener);
    }
    message = strayLine(error.code, error.message, text, offset) ?? message;
    const position = lines.position(offset);
    const lineStart = offset - (position.column - 1);
    if (rule === 'yaml.tab-indent' || (rule === 'yaml.syntax' && leadingWhitespaceHasTab(text, lineStart))) {
      rule = 'yaml.tab-indent';
      message = TAB_MESSAGE;
    }
    if (rule === 'yaml.too-deep') message = `the document is nested too deeply: ${message}`;
    if (found.some((d) => d.line === position.line && d.column === position.column)) continue;
    found.push(diagnosticAt(file, position, rule, message));
    if (found.length >= MAX_DIAGNOSTICS_PER_KIND) break;
  }
  return found;
}

/** `yaml.duplicate-key`, naming the line of the first occurrence (the parser only says "must be unique"). */
export function findDuplicateKeys(doc: Document, source: SourceMap, file: string): Diagnostic[] {
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
