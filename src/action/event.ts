/**
 * The GitHub event that started the run (GITHUB_EVENT_NAME + the JSON at GITHUB_EVENT_PATH), reduced to
 * what the action decides on. Pure: the caller reads the file. Payload fields are checked, never trusted
 * to have a shape.
 */
export interface PullRequestEvent {
  kind: 'pull-request';
  /** pull_request or pull_request_review. */
  name: string;
  number: number;
  headSha: string;
  baseRef: string;
  /** The head branch lives in another repository: the run has a read-only token and no secrets. */
  fromFork: boolean;
}

export interface PushEvent {
  kind: 'push';
  /** e.g. refs/heads/main */
  ref: string;
  before: string;
  after: string;
  /** The repository's default branch as the payload states it, or null when absent. */
  defaultBranch: string | null;
  /** The commits the push brought (GitHub lists up to 2048). */
  commits: string[];
  /** The push deleted the branch. */
  deleted: boolean;
}

export interface OtherEvent {
  kind: 'other';
  name: string;
}

export type ActionEvent = PullRequestEvent | PushEvent | OtherEvent;

const SHA = /^[0-9a-f]{40}$/i;

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Decodes the payload of the events the workflows subscribe to; anything else is `other`. */
export function decodeEvent(name: string, payload: unknown): ActionEvent {
  const event = record(payload);
  if (name === 'pull_request' || name === 'pull_request_review') {
    const pull = record(event.pull_request);
    const number = pull.number;
    const head = record(pull.head);
    const base = record(pull.base);
    if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1)
      return { kind: 'other', name };
    const headRepo = text(record(head.repo).full_name);
    const baseRepo = text(record(base.repo).full_name);
    return {
      kind: 'pull-request',
      name,
      number,
      headSha: text(head.sha),
      baseRef: text(base.ref),
      // A deleted fork has no head repository: it still came from elsewhere.
      fromFork: headRepo === '' || headRepo.toLowerCase() !== baseRepo.toLowerCase(),
    };
  }
  if (name === 'push') {
    const commits = Array.isArray(event.commits)
      ? event.commits.map((c) => text(record(c).id)).filter((id) => SHA.test(id))
      : [];
    return {
      kind: 'push',
      ref: text(event.ref),
      before: text(event.before),
      after: text(event.after),
      defaultBranch: text(record(event.repository).default_branch) || null,
      commits,
      deleted: event.deleted === true,
    };
  }
  return { kind: 'other', name };
}

/** Reads the event the runner describes in the environment. A missing or unreadable payload is `other`. */
export function readEvent(env: NodeJS.ProcessEnv, readFile: (path: string) => string): ActionEvent {
  const name = env.GITHUB_EVENT_NAME ?? '';
  if (!env.GITHUB_EVENT_PATH) return { kind: 'other', name };
  let payload: unknown;
  try {
    payload = JSON.parse(readFile(env.GITHUB_EVENT_PATH));
  } catch {
    return { kind: 'other', name };
  }
  return decodeEvent(name, payload);
}
