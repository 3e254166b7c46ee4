import type {
  AuditEvent,
  ImpersonationSession,
  Rollout,
  Ticket,
  TicketComment,
} from '../../providers/types.js';

/** A ticket comment as the emulator stores it: the wire shape plus the ticket it belongs to. */
export interface StoredComment extends TicketComment {
  ticketId: string;
}

/**
 * Everything the platform emulator knows. The records are in their wire shape (camelCase, as in
 * schemas/platform-api.openapi.yaml), so answering is copying; this is also the `--state` file's
 * `platform` section.
 */
export interface PlatformWorld {
  /** Tracker handles the service knows: assignees, owners and authors must be one of these. */
  users: string[];
  tickets: Ticket[];
  comments: StoredComment[];
  sessions: ImpersonationSession[];
  rollouts: Rollout[];
  /** Oldest first: events are only ever appended. */
  audit: AuditEvent[];
}

const COLLECTIONS = ['users', 'tickets', 'comments', 'sessions', 'rollouts', 'audit'] as const;

export function emptyWorld(users: readonly string[]): PlatformWorld {
  return { users: [...users], tickets: [], comments: [], sessions: [], rollouts: [], audit: [] };
}

/**
 * Accepts a saved world (from `snapshot()`, possibly read back from a `--state` file) or explains why not.
 * Only the outline is checked: the file is the sandbox's own output, but a truncated or hand-edited one
 * must fail with a sentence rather than with a TypeError on the first request.
 */
export function parseWorld(state: unknown): PlatformWorld {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new Error('the platform section of the sandbox state is missing or not an object');
  }
  const record = state as Record<string, unknown>;
  for (const name of COLLECTIONS) {
    if (!Array.isArray(record[name])) {
      throw new Error(`the platform section of the sandbox state has no '${name}' list`);
    }
  }
  return structuredClone(record as unknown as PlatformWorld);
}
