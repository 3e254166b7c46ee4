import type { HandoverConfig } from '../../config/types.js';
import type { RunDeadline } from '../../core/deadline.js';
import type { FinishedJournal, Journal } from '../../journal/types.js';
import type { RetryPolicy, ServiceName } from '../../providers/types.js';
import type { SummaryCounts } from '../plan/item.js';
import type { RateLimit } from './pacing.js';
import type { Reporter } from './reporter.js';

/** What `applyHandover` takes and gives: the library entry that the CLI and the GitHub Action call. */

export interface ApplyOptions {
  /** The manifest file to apply. */
  manifestPath: string;
  /**
   * The manifest's bytes, when the caller read them itself: the action reads them from the git object at
   * the merged commit, so what runs (and what the journal hashes) is what was approved, whatever the
   * working tree holds. `manifestPath` then only names the file.
   */
  manifestBytes?: Uint8Array;
  /** How messages name the file; defaults to its path relative to `repoRoot`. */
  displayPath?: string;
  /**
   * The repository's root (the Action's GITHUB_WORKSPACE, the CLI's working directory): the manifest's
   * path below it is what the pull request must have added. Defaults to the process's working directory.
   */
  repoRoot?: string;
  /** The validated repository config. */
  config: HandoverConfig;
  /** Tokens, endpoints and the GitHub Actions context come from here (docs/design.md#the-environment-and-the-sandbox). */
  env: NodeJS.ProcessEnv;
  reporter: Reporter;
  dryRun?: boolean;
  /** The pull request carrying the manifest; inside Actions on a push it is found from the commit. */
  pullRequest?: number;
  /** Rehearsal or break-glass: proceed without checking the approval, and say so everywhere. */
  skipApprovalCheck?: boolean;
  /** The run's clock (tests and `--now` pin it). */
  now?: () => Date;
  /** Overrides of the providers' retry policy (tests inject a sleep that does not wait). */
  retry?: Partial<RetryPolicy>;
  concurrency?: {
    /** Items of one step in flight at once; default 16. */
    items?: number;
    /** Requests in flight per service (the providers' own defaults otherwise). */
    perService?: Partial<Record<ServiceName, number>>;
  };
  /**
   * Client-side pacing of PagerDuty calls (default: a little under the documented 960 a minute). The
   * benchmark sets the sandbox's scaled-down limit here, as production sets the real one.
   */
  pagerDutyRateLimit?: RateLimit;
  /** Reads the GitHub event payload (GITHUB_EVENT_PATH); injected in tests. */
  readFile?: (path: string) => string;
  /** How often a progress line reports each step's count of actions (default 3 s; 0: never). */
  progressEveryMs?: number;
  /** Called with the journal so far after every recorded action: a killed run leaves what it did. */
  onJournal?: (journal: Journal) => void;
  /** The run's overall deadline (src/core/deadline.ts); default DEFAULT_DEADLINE_SECONDS from the start. */
  deadline?: RunDeadline;
  /** How long the one read per service before the first write waits (src/preflight/reachability.ts). */
  probeTimeoutMs?: number;
}

export interface ApplyResult {
  /** 0 done, 1 failed, 2 usage / unreadable / missing tokens / no acknowledgement source, 3 deferred. */
  exitCode: 0 | 1 | 2 | 3;
  /** Null only when the manifest could not be read at all. */
  journal: FinishedJournal | null;
  /** For exit 2: the one-line reason. */
  message?: string;
  /** What this handover covers: the summary's N, M and K. */
  counts: SummaryCounts;
}
