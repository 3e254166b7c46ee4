import {
  Composer,
  CST,
  type DocumentOptions,
  isScalar,
  Lexer,
  type Node,
  type ParseOptions,
  Parser,
  type SchemaOptions,
} from 'yaml';
import type { Diagnostic } from '../../diagnostics.js';
import { errorMessage } from '../../format.js';
import { diagnosticAt } from '../located.js';
import { composerDiagnostics, findDuplicateKeys } from './composer-errors.js';
import { MAX_DOCUMENT_BYTES, MAX_NESTING_DEPTH, MAX_YAML_TOKENS, SCHEMA_MAX_ITEMS } from './limits.js';
import { LineIndex, START_OF_FILE } from './positions.js';
import { findExcessiveNesting } from './prescan.js';
import { SourceMap } from './source-map.js';
import { checkSyntaxTree, tooDeepDiagnostic } from './syntax-tree.js';
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

const MIB = 1024 * 1024;

export function tooLargeDiagnostic(file: string, bytes: number): Diagnostic {
  return diagnosticAt(
    file,
    START_OF_FILE,
    'yaml.too-large',
    `the file is ${bytes} bytes; the limit is ${MAX_DOCUMENT_BYTES} bytes (${MAX_DOCUMENT_BYTES / MIB} MiB), ` +
      'enough for 2000 incidents with a one-line status a part: shorten the status texts, or split ' +
      'the handover into two manifests',
  );
}

/** No content at all: no node, or the empty scalar yaml puts in a document that has only `---`. */
function isEmptyNode(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null && (node.source ?? '') === '');
}

/** Lexemes the lexer adds that stand for no text of the source (they mark where the parser is). */
const MARKERS = new Set<string>([CST.DOCUMENT, CST.FLOW_END, CST.SCALAR]);

/**
 * Lexes the whole text first, counting lexemes: lexing costs a fraction of what parsing does, so a
 * document of very many small tokens is refused (at the offset where it passed the limit) before the
 * parser spends anything on it. Then parses the lexemes already in hand.
 */
function parseTokens(text: string): { tokens: CST.Token[] } | { tooManyAt: number } {
  const lexemes: string[] = [];
  let offset = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (lexemes.length === MAX_YAML_TOKENS) return { tooManyAt: offset };
    lexemes.push(lexeme);
    if (!MARKERS.has(lexeme)) offset += lexeme.length;
  }
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  for (const lexeme of lexemes) for (const token of parser.next(lexeme)) tokens.push(token);
  for (const token of parser.end()) tokens.push(token);
  return { tokens };
}

/**
 * Reads one YAML document under the strict rules of docs/design.md#the-manifest. Size and nesting are checked before the
 * parser runs (yaml 2.9.1 on Node 20 can abort the process on deep input), the token count and the
 * syntax tree before the document is composed; then aliases, anchors, tags, directives, extra
 * documents, duplicate keys and syntax errors become located diagnostics. Never throws.
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

  const characters = findControlCharacters(text, lines, file);

  const deepAt = findExcessiveNesting(text, MAX_NESTING_DEPTH);
  if (deepAt !== null) return unreadable([...characters, tooDeepDiagnostic(file, lines, deepAt)]);

  const parsed = parseTokens(text);
  if ('tooManyAt' in parsed) {
    const tooMany = diagnosticAt(
      file,
      lines.position(parsed.tooManyAt),
      'yaml.too-large',
      `the document has more than ${MAX_YAML_TOKENS} YAML tokens by here, more than the largest manifest ` +
        `the schema allows needs (${SCHEMA_MAX_ITEMS.incidents} incidents, ${SCHEMA_MAX_ITEMS.tickets} tickets ` +
        `and ${SCHEMA_MAX_ITEMS.rollouts} rollouts with every field): remove what is not part of the handover, ` +
        'or split it into two manifests',
    );
    return unreadable([...characters, tooMany]);
  }

  const tree = checkSyntaxTree(parsed.tokens, file, lines);
  if (tree.fatal !== null) return unreadable([...characters, ...tree.fatal]);

  const doc = Array.from(new Composer(YAML_OPTIONS).compose(parsed.tokens, true, text.length))[0];
  const root = (doc?.contents as Node | null | undefined) ?? null;
  const source = new SourceMap(root, lines);
  const yamlErrors = [...tree.diagnostics];
  if (doc)
    yamlErrors.push(...composerDiagnostics(doc, text, lines, file), ...findDuplicateKeys(doc, source, file));
  if ((!doc || isEmptyNode(root)) && yamlErrors.length === 0) {
    yamlErrors.push(
      diagnosticAt(
        file,
        START_OF_FILE,
        'yaml.empty',
        'the document is empty: a manifest is a mapping that starts with `apiVersion: handover/v1`',
      ),
    );
  }
  if (yamlErrors.length > 0 || !doc)
    return { value: undefined, source, text, diagnostics: [...characters, ...yamlErrors] };

  try {
    const value: unknown = doc.toJS({ maxAliasCount: 0, mapAsMap: false });
    return { value, source, text, diagnostics: characters };
  } catch (error) {
    // Not expected after the checks above; reported as a located finding rather than a crash.
    const message = `the document cannot be read: ${errorMessage(error)}`;
    return {
      value: undefined,
      source,
      text,
      diagnostics: [...characters, diagnosticAt(file, START_OF_FILE, 'yaml.syntax', message)],
    };
  }
}
