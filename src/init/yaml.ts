import { Document, isNode } from 'yaml';
import type { ManifestDraft } from './draft.js';

export interface RenderOptions {
  /** `$schema` path relative to the manifest, for editors (yaml-language-server). */
  schemaReference: string;
  generatedAt: Date;
  /** The command named in the header comment (default `init`; `handover prepare` drafts too). */
  generator?: string;
}

/** Comments are ours, but carry titles from the world: keep each one to a single clean line. */
function commentLine(text: string): string {
  return ` ${text
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()}`;
}

/**
 * Serialises a draft with the yaml library, never by concatenating strings: titles and other text from
 * the world are quoted as the library sees fit, under the same YAML 1.2 core schema the validator reads.
 */
export function renderDraft(draft: ManifestDraft, options: RenderOptions): string {
  const doc = new Document(draft.manifest, { version: '1.2', schema: 'core', aliasDuplicateObjects: false });
  doc.commentBefore = [
    ` yaml-language-server: $schema=${options.schemaReference}`,
    commentLine(
      `Written by handover ${options.generator ?? 'init'} at ${options.generatedAt.toISOString()} from live state. Replace every TODO, then run handover validate and handover plan on this file.`,
    ),
  ].join('\n');
  for (const comment of draft.comments) {
    const node = doc.getIn(comment.path, true);
    if (isNode(node)) node.commentBefore = commentLine(comment.text);
  }
  return doc.toString({ lineWidth: 0 });
}
