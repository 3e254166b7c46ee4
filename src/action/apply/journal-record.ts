/**
 * The ledger: where a later run finds that a handover is finished, without a database. One marked comment
 * per manifest on the pull request that merged it: the visible part is the journal as Markdown; a hidden
 * HTML comment carries a small JSON record, authenticated with an HMAC-SHA256 under the ledger key. That
 * key is a secret of the protected `handover` environment only, so a repository writer — who can post,
 * edit and delete comments, even as github-actions[bot] from a workflow of their own — cannot make a record
 * that verifies (docs/adoption.md, "The ledger"). Pure, apart from the HMAC.
 *
 *   <!-- handover:journal handovers/2026/x.yaml -->
 *   ### Handover x: ✅ done …
 *   <!-- handover:journal-record {"v":2,"manifest":"handovers/2026/x.yaml","outcome":"done",…,"mac":"…"} -->
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

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
  /** SHA-256 of the journal JSON the run wrote (the artifact), null when nothing ran. */
  journalSha256: string | null;
  pullRequest: number;
  /** The first-parent commit that added the manifest: where in the history this record sits. */
  commit: string;
  runUrl: string | null;
  /** When the record was written (ISO 8601). */
  at: string;
  /** Who started a deliberate manual run that executed it out of order (docs/adoption.md), else null. */
  manualBy: string | null;
  /**
   * Manifests older than this one that were held when it was recorded (not executed, not finished): a
   * finished handover closes the history before it for later runs, so it names what it left behind, and
   * later runs keep naming those until a manual run finishes them.
   */
  heldBehind: string[];
}

/** A record as read back: its fields, and its MAC as found (not yet checked). */
export interface ReadRecord extends JournalRecord {
  mac: string | null;
}

const RECORD_VERSION = 2;

/** The bytes the MAC covers: every field in a fixed order, so no field can be moved or added unnoticed. */
function signedBytes(record: JournalRecord): string {
  return JSON.stringify([
    RECORD_VERSION,
    record.manifest,
    record.id,
    record.outcome,
    record.manifestSha256,
    record.journalSha256,
    record.pullRequest,
    record.commit,
    record.runUrl,
    record.at,
    record.manualBy,
    record.heldBehind,
  ]);
}

export function recordMac(record: JournalRecord, key: string): string {
  return createHmac('sha256', key).update(signedBytes(record)).digest('hex');
}

/** Constant-time check of a record's MAC under the ledger key. */
export function isAuthentic(record: ReadRecord, key: string): boolean {
  if (record.mac === null || !/^[0-9a-f]{64}$/.test(record.mac)) return false;
  return timingSafeEqual(Buffer.from(record.mac, 'hex'), Buffer.from(recordMac(record, key), 'hex'));
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

export function renderJournalComment(record: JournalRecord, markdown: string, key: string): string {
  const data = { v: RECORD_VERSION, ...record, mac: recordMac(record, key) };
  return `${journalMarker(record.manifest)}\n${markdown.trimEnd()}\n\n${RECORD_PREFIX}${commentSafeJson(data)} -->\n`;
}

function isOutcome(value: unknown): value is RecordOutcome {
  return typeof value === 'string' && (RECORD_OUTCOMES as readonly string[]).includes(value);
}

/**
 * The record in a comment body, or null when there is none, it is malformed, or it is about another file.
 * A record of an older version is read with no MAC, so it never verifies.
 */
export function parseJournalRecord(body: string, manifestPath: string): ReadRecord | null {
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
  if (typeof data.v !== 'number' || data.manifest !== manifestPath || !isOutcome(data.outcome)) return null;
  if (typeof data.pullRequest !== 'number' || typeof data.at !== 'string') return null;
  const optionalText = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    manifest: manifestPath,
    id: optionalText(data.id),
    outcome: data.outcome,
    manifestSha256: optionalText(data.manifestSha256),
    journalSha256: optionalText(data.journalSha256),
    pullRequest: data.pullRequest,
    commit: optionalText(data.commit) ?? '',
    runUrl: optionalText(data.runUrl),
    at: data.at,
    manualBy: optionalText(data.manualBy),
    heldBehind: Array.isArray(data.heldBehind)
      ? data.heldBehind.filter((p): p is string => typeof p === 'string')
      : [],
    mac: data.v === RECORD_VERSION ? optionalText(data.mac) : null,
  };
}

/** What a record must be about to count for one merged manifest. */
export interface RecordSubject {
  /** The pull request that merged the manifest. */
  pullRequest: number;
  /** The first-parent commit that added it. */
  commit: string;
  /** SHA-256 of the manifest as merged; null when it could not be read. */
  manifestSha256: string | null;
}

/**
 * What a record found on a pull request means for this manifest:
 * - `counts`: authentic, and about this pull request, commit and these exact bytes;
 * - `not-this`: authentic but about something else (copied from another handover): as if there were none;
 * - `forged`: it does not verify under the ledger key — a person wrote or edited it (or it predates the
 *   ledger). Never trusted, and never ignored either: apply holds the handover for a human (it may hide a
 *   finished handover whose re-run would undo a newer one, or fake one that is still pending).
 */
export type RecordVerdict =
  | { kind: 'counts' }
  | { kind: 'not-this'; problem: string }
  | { kind: 'forged'; problem: string };

export function judgeRecord(record: ReadRecord, key: string, subject: RecordSubject): RecordVerdict {
  if (!isAuthentic(record, key))
    return {
      kind: 'forged',
      problem:
        record.mac === null
          ? 'it carries no ledger MAC (written by hand, or before the ledger)'
          : 'its ledger MAC does not verify (written or edited by someone without the ledger key)',
    };
  if (record.pullRequest !== subject.pullRequest)
    return {
      kind: 'not-this',
      problem: `it is about pull request #${record.pullRequest}, not #${subject.pullRequest}`,
    };
  if (record.commit !== subject.commit)
    return { kind: 'not-this', problem: 'it is about another merge of this path' };
  if (subject.manifestSha256 === null || record.manifestSha256 !== subject.manifestSha256)
    return {
      kind: 'not-this',
      problem:
        record.manifestSha256 === null
          ? 'it does not name the SHA-256 of the manifest it is about'
          : 'it is about other content than the merged manifest (its SHA-256 differs)',
    };
  return { kind: 'counts' };
}

export function isFinal(record: JournalRecord): boolean {
  return record.outcome === 'done' || record.outcome === 'refused';
}
