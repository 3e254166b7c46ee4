/**
 * Hard limits on YAML input, checked before the parser sees the text or, for the two collection
 * limits, on the syntax tree before the document is composed (docs/design.md#input-limits). They admit
 * the largest handover the schema allows (2,500 incidents, 2,500 tickets, 1,000 rollouts, each with
 * every field, in status texts short enough for the 1 MiB file cap) while no input, however hostile,
 * costs much more than that manifest does or comes near the sizes that make yaml 2.9.1 on Node 20
 * abort the process.
 */

/**
 * Bytes in one file: 1 MiB, fixed by the product's contract ("files over 1 MiB are rejected with a
 * clear message"), not chosen here. Issue 16's storm (2,000 incidents, each
 * with a title and three one-line status parts of 40–70 characters, 2,000 tickets, 500 rollouts) is
 * 0.89 MB in block YAML, about 390 bytes an incident available; at the schema's maximum counts
 * (2,500, 2,500, 1,000) about 260 bytes an incident are left, enough for three-word status parts
 * (0.70 MB, 0.96 MB as indented JSON) but not for the storm's prose (1.18 MB): there the file cap
 * binds before the schema's counts do. test/manifest/limits.test.ts measures all of these.
 */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

/** The root mapping is level 1; a manifest's deepest value (an incident's status) is at level 4. */
export const MAX_NESTING_DEPTH = 32;

/**
 * YAML tokens (lexemes) in one document, counted by the lexer before anything is parsed. Parsing costs
 * a few microseconds per token, so this bounds the work any input can cause to about that of the
 * largest valid manifest: the schema's maximum counts with every field take 218 000 tokens in block
 * YAML and 230 000 as indented JSON, however short their texts (a one-line scalar is one token); the
 * rest is room for comments.
 */
export const MAX_YAML_TOKENS = 250_000;

/**
 * Entries in one mapping (block or flow). The parser checks each new key against every earlier one,
 * so its cost grows with the square of the entries. A manifest's mappings have at most 13 keys; the
 * config's roster, the largest mapping anywhere, has at most 200 admins.
 */
export const MAX_MAPPING_ENTRIES = 256;

/**
 * Entries in one sequence (block or flow). Sequences cost the same per entry however long they are;
 * this only has to sit above the schema's longest list (2,500 incidents or tickets), so that the
 * schema's own finding (`schema.items`, with the real maximum) is what a long-but-plausible list gets.
 */
export const MAX_SEQUENCE_ENTRIES = 5_000;

/** Per file, so that one broken file cannot flood a report; the rest is summarised in one line. */
export const MAX_DIAGNOSTICS_PER_KIND = 20;

/**
 * The longest lists schemas/handover.schema.json allows (`maxItems`; a test keeps the two equal), for
 * messages and for the limits above: 1.25 times issue 16's storm of 2,000 incidents and 2,000 tickets
 * (which `npm run bench:scale` measures), twice its 500 rollouts. Past these, a handover takes long
 * enough to apply (two PagerDuty writes per incident at 15 a second: 2,500 take about six minutes)
 * that splitting it is the better answer.
 */
export const SCHEMA_MAX_ITEMS = { incidents: 2500, tickets: 2500, rollouts: 1000 } as const;
