import {
  type ActionOutcome,
  type FailureKind,
  type FinishedJournal,
  type FinishedOutcome,
  type Journal,
  type JournalAction,
  STEPS,
  type StepName,
} from './types.js';

/** What a step reports about one action; the recorder stamps the time. */
export interface ActionRecord {
  step: StepName;
  target: string;
  action: string;
  outcome: ActionOutcome;
  detail: string;
  failure?: FailureKind;
}

export interface JournalHeader {
  id: string;
  manifestSha256: string;
  dryRun: boolean;
}

export interface Acknowledgement {
  pullRequest: number | null;
  approver: string | null;
  approvedSha: string | null;
  verified: boolean;
}

/**
 * Collects the actions of one run. Append-only; `finish` produces the journal. `redact` removes any
 * secret that might have slipped into a service's error text before it is kept anywhere.
 */
export class JournalRecorder {
  private readonly actions: JournalAction[] = [];
  private readonly listeners: Array<(journal: Journal) => void> = [];
  private acknowledgement: Acknowledgement = {
    pullRequest: null,
    approver: null,
    approvedSha: null,
    verified: false,
  };

  constructor(
    private readonly header: JournalHeader,
    private readonly now: () => Date,
    private readonly startedAt: Date,
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  record(entry: ActionRecord): JournalAction {
    const action: JournalAction = {
      step: entry.step,
      target: oneLine(this.redact(entry.target)),
      action: oneLine(entry.action),
      outcome: entry.outcome,
      detail: oneLine(this.redact(entry.detail)),
      at: this.now().toISOString(),
    };
    if (entry.outcome === 'failed') action.failure = entry.failure ?? 'failure';
    this.actions.push(action);
    this.changed();
    return action;
  }

  setAcknowledgement(acknowledgement: Acknowledgement): void {
    this.acknowledgement = { ...acknowledgement };
    this.changed();
  }

  /**
   * `listener` gets the journal so far (outcome `running`) after every change, so that what a run did is
   * on record as it goes: a run killed mid-way leaves a valid journal of everything up to the kill.
   */
  subscribe(listener: (journal: Journal) => void): void {
    this.listeners.push(listener);
    listener(this.snapshot());
  }

  /**
   * The journal as it stands, for a run still going: its actions in the order they happened, the
   * recorder's own array (not a copy, not sorted), so a listener called after each of many thousand
   * actions costs O(1) to serve. Listeners read it and must not keep or change it.
   */
  snapshot(): Journal {
    return { ...this.fields(), outcome: 'running', actions: this.actions };
  }

  private changed(): void {
    if (this.listeners.length === 0) return;
    const journal = this.snapshot();
    for (const listener of this.listeners) listener(journal);
  }

  get recorded(): readonly JournalAction[] {
    return this.actions;
  }

  /** The run's outcome follows from its actions: any failure fails it; a deferral defers it. */
  outcome(): FinishedOutcome {
    if (this.actions.some((a) => a.outcome === 'failed')) return 'failed';
    if (this.actions.some((a) => a.outcome === 'deferred')) return 'deferred';
    return 'done';
  }

  finish(): FinishedJournal {
    // Steps of one lane run concurrently with another lane's: present them in runbook order.
    return { ...this.fields(), outcome: this.outcome(), actions: sortByStep(this.actions) };
  }

  /** Every field but the outcome and the actions, in the order the journal file shows them. */
  private fields(): Omit<FinishedJournal, 'outcome' | 'actions'> {
    return {
      id: this.header.id,
      startedAt: this.startedAt.toISOString(),
      finishedAt: this.now().toISOString(),
      manifestSha256: this.header.manifestSha256,
      pullRequest: this.acknowledgement.pullRequest,
      approver: this.acknowledgement.approver,
      approvedSha: this.acknowledgement.approvedSha,
      acknowledgementVerified: this.acknowledgement.verified,
      dryRun: this.header.dryRun,
    };
  }
}

/**
 * Every journal field is one line: a service's error text with a newline must not be able to start a
 * log line of its own (a `::` workflow command, docs/design.md#logs).
 */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** Stable: within a step, actions keep the order they happened in. */
export function sortByStep(actions: readonly JournalAction[]): JournalAction[] {
  return actions
    .map((action, index) => ({ action, index }))
    .sort((a, b) => STEPS.indexOf(a.action.step) - STEPS.indexOf(b.action.step) || a.index - b.index)
    .map(({ action }) => action);
}
