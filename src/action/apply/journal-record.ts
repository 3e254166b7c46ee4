/**
 * Where a later run finds that a handover is finished, without a database: one marked comment per manifest
 * on the pull request that merged it. The visible part is the journal as Markdown; a hidden HTML comment
 * carries a small JSON record that this module writes and reads back. Pure.
 *
 *   <!-- handover:journal handovers/2026/x.yaml -->
 *   ### Handover x: ✅ done …
 *   <!-- handover:journal-record {"v":1,"manifest":"handovers/2026/x.yaml","outcome":"done",…} -->
 */
export const RECORD_OUTCOMES = ['done', 'failed', 'deferred', 'refused'] as const;
export type RecordOutcome = (typeof RECORD_OUTCOMES)[number];

export interface JournalRecord {
  /** Repo-relative path of the manifest. */
  manifest: string;
  /** The handover id, when the manifest could be read. */
  id: string | null;
  /**
   * `done` and `refused` are final: a later run leaves the handover alone. `failed` and `deferred` are
   * picked up again by the next run.
   */
  outcome: RecordOutcome;
  manifestSha256: string | null;
  pullRequest: number;
  runUrl: string | null;
  /** When the record was written (ISO 8601). */
  at: string;
}

/** GitHub caps a comment at 65 536 characters; the record and the marker need far less than the rest. */
export const COMMENT_MARKDOWN_BUDGET = 60_000;

const RECORD_PREFIX = '<!-- handover:journal-record ';

/**
 * The marker that finds the comment again: one per manifest path. encodeURI leaves `/` readable and
 * encodes `<`, `>` and spaces, so no path can end the HTML comment early; the closing ` -->` keeps one
 * path from being a prefix match of another.
 */
export function journalMarker(manifestPath: string): string {
  return `<!-- handover:journal ${encodeURI(manifestPath)} -->`;
}

/** JSON that cannot close the HTML comment it sits in: `<`, `>` and `&` become \u escapes (still JSON). */
function commentSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function renderJournalComment(record: JournalRecord, markdown: string): string {
  const data = { v: 1, ...record };
  return `${journalMarker(record.manifest)}\n${markdown.trimEnd()}\n\n${RECORD_PREFIX}${commentSafeJson(data)} -->\n`;
}

function isOutcome(value: unknown): value is RecordOutcome {
  return typeof value === 'string' && (RECORD_OUTCOMES as readonly string[]).includes(value);
}

/** The record in a comment body, or null when there is none, it is malformed, or it is about another file. */
export function parseJournalRecord(body: string, manifestPath: string): JournalRecord | null {
  const start = body.lastIndexOf(RECORD_PREFIX);
  if (start < 0) return null;
  const end = body.indexOf(' -->', start);
  if (end < 0) return null;
  let data: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body.slice(start + RECORD_PREFIX.length, end));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    data = parsed as Record<string, unknown>;
  } catch {
    return null;
  }
  if (data.v !== 1 || data.manifest !== manifestPath || !isOutcome(data.outcome)) return null;
  if (typeof data.pullRequest !== 'number' || typeof data.at !== 'string') return null;
  const optionalText = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    manifest: manifestPath,
    id: optionalText(data.id),
    outcome: data.outcome,
    manifestSha256: optionalText(data.manifestSha256),
    pullRequest: data.pullRequest,
    runUrl: optionalText(data.runUrl),
    at: data.at,
  };
}

export function isFinal(record: JournalRecord): boolean {
  return record.outcome === 'done' || record.outcome === 'refused';
}

/**
 * Only the automation writes journal records. A comment by a person that quotes the marker (or forges a
 * record to make a handover look finished) is ignored. GitHub App and Actions identities end in `[bot]`,
 * which user logins cannot. An author the provider could not name is not trusted either: ignoring a true
 * record costs one idempotent re-apply, trusting a false one skips a handover.
 */
export function isTrustedAuthor(author: string | undefined): boolean {
  return author?.endsWith('[bot]') === true;
}

/** What a record must be about to count for one merged manifest. */
export interface RecordSubject {
  /** The pull request that merged the manifest. */
  pullRequest: number;
  /** SHA-256 of the manifest as merged; null when it could not be read. */
  manifestSha256: string | null;
}

/**
 * Why a record found on a pull request does not count for this manifest, or null when it does: written by
 * the automation, about this pull request and about these exact bytes. A record copied from another
 * handover or pull request (right marker and path, wrong hash or number) is not this handover's journal.
 */
export function recordProblem(
  record: JournalRecord,
  author: string | undefined,
  subject: RecordSubject,
): string | null {
  if (!isTrustedAuthor(author))
    return `it was written by ${author ?? 'an unknown author'}: only the automation writes journal records`;
  if (record.pullRequest !== subject.pullRequest)
    return `it is about pull request #${record.pullRequest}, not #${subject.pullRequest}`;
  if (subject.manifestSha256 === null || record.manifestSha256 !== subject.manifestSha256)
    // The record's own value is not repeated: it is text anyone could have written.
    return record.manifestSha256 === null
      ? 'it does not name the SHA-256 of the manifest it is about'
      : 'it is about other content than the merged manifest (its SHA-256 differs)';
  return null;
}
