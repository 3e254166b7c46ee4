import type { CST } from 'yaml';
import type { Diagnostic } from '../../diagnostics.js';
import type { RuleId } from '../../rules/registry.js';
import { diagnosticAt } from '../located.js';
import {
  MAX_DIAGNOSTICS_PER_KIND,
  MAX_MAPPING_ENTRIES,
  MAX_NESTING_DEPTH,
  MAX_SEQUENCE_ENTRIES,
  SCHEMA_MAX_ITEMS,
} from './limits.js';
import type { LineIndex } from './positions.js';

/** Tokens that are values: after the end of a value, one of these is misplaced content. */
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

interface TreeFacts {
  depthExceededAt: number | null;
  /** The first mapping over MAX_MAPPING_ENTRIES or list over MAX_SEQUENCE_ENTRIES entries. */
  oversized: { offset: number; entries: number; kind: 'mapping' | 'list' } | null;
  anchors: number[];
  tags: number[];
  aliases: number[];
  /** Misplaced values: the first few offsets, and how many in all. */
  strays: number[];
  strayCount: number;
}

function remember(list: number[], offset: number): void {
  if (list.length < MAX_DIAGNOSTICS_PER_KIND) list.push(offset);
}

/** A flow collection is a mapping when it opens with `{`, a list when it opens with `[`. */
function collectionKind(type: string, token: object): 'mapping' | 'list' {
  if (type === 'block-map') return 'mapping';
  if (type === 'block-seq') return 'list';
  const { start } = token as { start?: { source?: unknown } };
  return start?.source === '{' ? 'mapping' : 'list';
}

/**
 * One iterative pass over a document's concrete syntax tree (the parser builds it without recursion,
 * so this is safe at any depth, before the recursive composer runs).
 */
function inspect(root: CST.Token): TreeFacts {
  const facts: TreeFacts = {
    depthExceededAt: null,
    oversized: null,
    anchors: [],
    tags: [],
    aliases: [],
    strays: [],
    strayCount: 0,
  };
  const stack: { token: unknown; depth: number }[] = [{ token: root, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { token, depth } = next;
    if (Array.isArray(token)) {
      for (const item of token) stack.push({ token: item, depth });
      continue;
    }
    if (typeof token !== 'object' || token === null) continue;
    const { type, offset, items, end } = token as {
      type?: unknown;
      offset?: unknown;
      items?: unknown;
      end?: unknown;
    };
    let childDepth = depth;
    if (typeof offset === 'number') {
      if (type === 'block-map' || type === 'block-seq' || type === 'flow-collection') {
        childDepth = depth + 1;
        if (childDepth > MAX_NESTING_DEPTH) {
          facts.depthExceededAt = offset;
          return facts;
        }
        if (Array.isArray(items) && facts.oversized === null) {
          const kind = collectionKind(type, token);
          const limit = kind === 'mapping' ? MAX_MAPPING_ENTRIES : MAX_SEQUENCE_ENTRIES;
          if (items.length > limit) facts.oversized = { offset, entries: items.length, kind };
        }
      } else if (type === 'anchor') remember(facts.anchors, offset);
      else if (type === 'tag') remember(facts.tags, offset);
      else if (type === 'alias') remember(facts.aliases, offset);
    }
    if (Array.isArray(end)) {
      for (const item of end) {
        const { type: itemType, offset: itemOffset } = item as { type?: unknown; offset?: unknown };
        if (typeof itemType !== 'string' || !VALUE_TOKENS.has(itemType) || typeof itemOffset !== 'number')
          continue;
        facts.strayCount++;
        remember(facts.strays, itemOffset);
      }
    }
    for (const value of Object.values(token)) {
      if (typeof value === 'object' && value !== null) stack.push({ token: value, depth: childDepth });
    }
  }
  return facts;
}

export interface TreeCheck {
  /** A finding that stops the document from being composed (too deep, too large, too broken). */
  fatal: Diagnostic[] | null;
  /** Findings about YAML features manifests do not use; the document is still composed for more. */
  diagnostics: Diagnostic[];
}

export function tooDeepDiagnostic(file: string, lines: LineIndex, offset: number): Diagnostic {
  return diagnosticAt(
    file,
    lines.position(offset),
    'yaml.too-deep',
    `nesting deeper than ${MAX_NESTING_DEPTH} levels starts here: a manifest is at most four levels deep ` +
      '(handover → incidents → incident → status); flatten the structure',
  );
}

function oversizedDiagnostic(
  file: string,
  lines: LineIndex,
  { offset, entries, kind }: NonNullable<TreeFacts['oversized']>,
): Diagnostic {
  const { incidents, tickets, rollouts } = SCHEMA_MAX_ITEMS;
  const message =
    kind === 'mapping'
      ? `this mapping has ${entries} keys; at most ${MAX_MAPPING_ENTRIES} are allowed (the largest in a ` +
        'manifest or config is the roster, at most 200 admins): a list of many entries is written as a ' +
        'list, one `- ` per entry'
      : `this list has ${entries} entries; at most ${MAX_SEQUENCE_ENTRIES} are allowed (a manifest lists ` +
        `at most ${incidents} incidents, ${tickets} tickets and ${rollouts} rollouts): split the handover ` +
        'into two manifests';
  return diagnosticAt(file, lines.position(offset), 'yaml.too-large', message);
}

/**
 * What the syntax tree shows before composing: the exact depth and the largest collection (the
 * composer recurses, and checks duplicate keys in quadratic time), directives, further documents,
 * anchors, aliases, tags and misplaced values, each located.
 */
export function checkSyntaxTree(tokens: readonly CST.Token[], file: string, lines: LineIndex): TreeCheck {
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number, rule: RuleId, message: string) =>
    diagnostics.push(diagnosticAt(file, lines.position(offset), rule, message));
  let documents = 0;
  let strayCount = 0;
  const strays: number[] = [];
  for (const token of tokens) {
    if (token.type === 'error') {
      strayCount++;
      remember(strays, token.offset);
    } else if (token.type === 'directive') {
      const name = token.source.split(/\s/)[0];
      at(
        token.offset,
        'yaml.directive',
        `the directive \`${name}\` is not allowed: files are always read as YAML 1.2; delete this line`,
      );
    } else if (token.type === 'document') {
      documents++;
      if (documents === 2) {
        at(
          token.offset,
          'yaml.multiple-documents',
          'a second YAML document starts here: one file holds one manifest; move it to its own file or delete the `---` line',
        );
      }
      const facts = inspect(token);
      if (facts.depthExceededAt !== null)
        return { fatal: [tooDeepDiagnostic(file, lines, facts.depthExceededAt)], diagnostics };
      if (facts.oversized !== null)
        return { fatal: [oversizedDiagnostic(file, lines, facts.oversized)], diagnostics };
      strayCount += facts.strayCount;
      strays.push(...facts.strays);
      for (const offset of facts.anchors)
        at(offset, 'yaml.alias', 'anchors (`&name`) are not allowed: write the value out in full');
      for (const offset of facts.aliases)
        at(offset, 'yaml.alias', 'aliases (`*name`) are not allowed: write the value out in full');
      for (const offset of facts.tags) {
        at(
          offset,
          'yaml.tag',
          'explicit tags (`!…`, `!!…`) are not allowed: write plain values, and quote a value that must stay text',
        );
      }
    }
  }
  if (strayCount > MAX_DIAGNOSTICS_PER_KIND) {
    // The composer would report each misplaced value one by one, slowly: a handful makes the point.
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
    return { fatal: [...diagnostics, ...located], diagnostics };
  }
  return { fatal: null, diagnostics };
}
