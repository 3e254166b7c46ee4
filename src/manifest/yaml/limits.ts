/**
 * Hard limits on YAML input, checked before the parser sees the text (docs/design.md#input-limits).
 * A handover manifest is a few kilobytes and four levels deep; these leave ample room while keeping
 * hostile input far from the sizes that make yaml 2.9.1 on Node 20 abort the process.
 */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

/** The root mapping is level 1; a manifest's deepest value (an incident's status) is at level 4. */
export const MAX_NESTING_DEPTH = 32;

/**
 * YAML tokens (lexemes) in one document. The parser costs a few microseconds per token, so this keeps
 * any input under a second; the largest manifest the schema allows has about 20 000.
 */
export const MAX_YAML_TOKENS = 40_000;

/**
 * Entries in one mapping or list. The schema allows 200 incidents or tickets; beyond that the parser's
 * duplicate-key check grows with the square of the entries.
 */
export const MAX_COLLECTION_ENTRIES = 256;

/** Per file, so that one broken file cannot flood a report; the rest is summarised in one line. */
export const MAX_DIAGNOSTICS_PER_KIND = 20;
