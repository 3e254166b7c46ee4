import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { type LineIndex, type SourcePosition, START_OF_FILE } from './positions.js';

/** A path into the document, as in a JSON pointer: mapping keys and sequence indexes. */
export type DocumentPath = readonly (string | number)[];

interface Resolved {
  /** The deepest node reached (the document root when nothing matched). */
  node: Node | null;
  /** The key of the last mapping member reached, if any. */
  key: Node | null;
  /** How many path segments were matched. */
  depth: number;
}

function hasRange(node: unknown): node is Node & { range: [number, number, number] } {
  return typeof node === 'object' && node !== null && Array.isArray((node as { range?: unknown }).range);
}

/** The key's text when it is a scalar, else null (complex keys are rejected by the reader). */
export function keyText(pair: Pair): string | null {
  return isScalar(pair.key) && pair.key.value !== null && pair.key.value !== undefined
    ? String(pair.key.value)
    : null;
}

/** Where things are in the YAML source: paths from the schema and the rules become line:column. */
export class SourceMap {
  constructor(
    private readonly root: Node | null,
    private readonly lines: LineIndex,
  ) {}

  /** A finding about a member as a whole (an unknown key, a missing child): the key's position. */
  keyPosition(path: DocumentPath): SourcePosition {
    const resolved = this.resolve(path);
    if (resolved.depth === path.length && resolved.key && hasRange(resolved.key))
      return this.at(resolved.key.range[0]);
    return this.nodePosition(resolved);
  }

  /** A finding about a value (wrong type, bad pattern): the value's position, else its key's. */
  valuePosition(path: DocumentPath): SourcePosition {
    const resolved = this.resolve(path);
    const { node } = resolved;
    const emptyValue = isScalar(node) && node.value === null && (node.source ?? '') === '';
    if (resolved.depth === path.length && emptyValue && resolved.key && hasRange(resolved.key))
      return this.at(resolved.key.range[0]);
    return this.nodePosition(resolved);
  }

  /** The source text of a scalar value as written (e.g. `0777` for a value read as 777). */
  scalarSource(path: DocumentPath): string | undefined {
    const resolved = this.resolve(path);
    if (resolved.depth !== path.length || !isScalar(resolved.node)) return undefined;
    return typeof resolved.node.source === 'string' ? resolved.node.source : undefined;
  }

  /** The position of the node at `path` if it exists, for rules that point at a whole item. */
  nodeStart(path: DocumentPath): SourcePosition {
    return this.nodePosition(this.resolve(path));
  }

  position(offset: number): SourcePosition {
    return this.lines.position(offset);
  }

  private nodePosition(resolved: Resolved): SourcePosition {
    if (hasRange(resolved.node)) return this.at(resolved.node.range[0]);
    if (hasRange(resolved.key)) return this.at(resolved.key.range[0]);
    return START_OF_FILE;
  }

  private at(offset: number): SourcePosition {
    return this.lines.position(offset);
  }

  private resolve(path: DocumentPath): Resolved {
    let node: Node | null = this.root;
    let key: Node | null = null;
    let depth = 0;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => keyText(item) === String(segment));
        if (!pair) break;
        key = isScalar(pair.key) ? pair.key : null;
        node = (pair.value as Node | null) ?? null;
        if (node === null) {
          depth++;
          break;
        }
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)] as Node | undefined;
        if (item === undefined || item === null) break;
        // A sequence item has no key: its own start stands for it.
        key = null;
        node = item;
      } else {
        break;
      }
      depth++;
    }
    return { node, key, depth };
  }
}
