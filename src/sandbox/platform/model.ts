/**
 * The platform emulator's own records. They mirror the wire shapes of schemas/platform-api.openapi.yaml
 * (camelCase), but are declared here rather than borrowed from src/providers: the client and the
 * emulator are two readings of one contract, and sharing types would let them share one mistake.
 * The conformance test (test/conformance/platform-api.test.ts) checks the answers against the schema.
 */

export interface TicketLinkRecord {
  url: string;
  kind: 'engineering_issue';
}

export interface TicketRecord {
  id: string;
  title: string;
  /** Tracker handle. */
  assignee: string | null;
  pinned: boolean;
  status: 'open' | 'pending' | 'closed';
  waitingOn: 'customer' | 'engineering' | null;
  labels: string[];
  links: TicketLinkRecord[];
  updatedAt: string;
}

/** A ticket comment as the emulator stores it: the wire fields plus the ticket it belongs to. */
export interface CommentRecord {
  id: string;
  ticketId: string;
  author: string;
  body: string;
  createdAt: string;
}

export interface SessionRecord {
  id: string;
  /** The one human the session belongs to (tracker handle). */
  admin: string;
  ticketId: string | null;
  status: 'open' | 'ended';
  startedAt: string;
  endedAt: string | null;
}

export interface AnnotationRecord {
  id: string;
  rampPercent: number;
  lastErrorRatePercent: number;
  nextStep: string;
  author: string;
  createdAt: string;
}

export type RolloutState = 'ramping' | 'paused' | 'complete' | 'rolled_back';

export interface RolloutRecord {
  flag: string;
  state: RolloutState;
  rampPercent: number;
  errorRatePercent: number;
  owner: string | null;
  annotations: AnnotationRecord[];
}

export interface AuditRecord {
  id: string;
  action: string;
  actor: string;
  target: string;
  at: string;
}

/**
 * Everything the platform emulator knows. The records are in their wire shape (camelCase, as in
 * schemas/platform-api.openapi.yaml), so answering is copying; this is also the `--state` file's
 * `platform` section.
 */
export interface PlatformState {
  /** Tracker handles the service knows: assignees, owners and authors must be one of these. */
  users: string[];
  tickets: TicketRecord[];
  comments: CommentRecord[];
  sessions: SessionRecord[];
  rollouts: RolloutRecord[];
  /** Oldest first: events are only ever appended. */
  audit: AuditRecord[];
}

const COLLECTIONS = ['users', 'tickets', 'comments', 'sessions', 'rollouts', 'audit'] as const;

export function emptyPlatformState(users: readonly string[]): PlatformState {
  return { users: [...users], tickets: [], comments: [], sessions: [], rollouts: [], audit: [] };
}

/**
 * Accepts a saved world (from `snapshot()`, possibly read back from a `--state` file) or explains why not.
 * Only the outline is checked: the file is the sandbox's own output, but a truncated or hand-edited one
 * must fail with a sentence rather than with a TypeError on the first request.
 */
export function parsePlatformState(state: unknown): PlatformState {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new Error('the platform section of the sandbox state is missing or not an object');
  }
  const record = state as Record<string, unknown>;
  for (const name of COLLECTIONS) {
    if (!Array.isArray(record[name])) {
      throw new Error(`the platform section of the sandbox state has no '${name}' list`);
    }
  }
  return structuredClone(record as unknown as PlatformState);
}
