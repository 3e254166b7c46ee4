import { STEP_TITLES, type StepName } from '../../journal/types.js';
import type { Reporter } from './reporter.js';

type Entry = { kind: 'info' | 'warning' | 'error'; line: string };

/**
 * Keeps one log group per step even though independent steps run concurrently (PagerDuty work and
 * platform work proceed side by side). The earliest unfinished step in runbook order streams its lines
 * as they happen; later steps buffer theirs and are written out, as a whole group, once every step
 * before them has finished. Groups therefore never interleave, and the head step is always live.
 */
export class StepLogs {
  private readonly buffers = new Map<StepName, Entry[]>();
  private readonly finished = new Set<StepName>();
  private head = 0;
  private headOpen = false;
  /** Actions recorded per step so far, for the progress lines of a long run. */
  readonly actions = new Map<StepName, number>();

  constructor(
    private readonly reporter: Reporter,
    /** The steps this run will go through, in runbook order. */
    private readonly order: readonly StepName[],
  ) {}

  info(step: StepName, line: string): void {
    this.write(step, { kind: 'info', line });
  }

  warning(step: StepName, line: string): void {
    this.write(step, { kind: 'warning', line });
  }

  error(step: StepName, line: string): void {
    this.write(step, { kind: 'error', line });
  }

  /** One more action of `step` was recorded. */
  countAction(step: StepName): void {
    this.actions.set(step, (this.actions.get(step) ?? 0) + 1);
  }

  /** The step has nothing more to log; later steps may now be written out. */
  finish(step: StepName): void {
    this.finished.add(step);
    this.advance();
  }

  /** The run is over: write out whatever is left, in order (steps that never ran are left out). */
  close(): void {
    for (const step of this.order) this.finished.add(step);
    this.advance();
  }

  private write(step: StepName, entry: Entry): void {
    if (this.order[this.head] === step) {
      this.openHead();
      this.emit(entry);
      return;
    }
    const buffer = this.buffers.get(step) ?? [];
    buffer.push(entry);
    this.buffers.set(step, buffer);
  }

  private advance(): void {
    while (this.head < this.order.length) {
      const step = this.order[this.head]!;
      const buffered = this.buffers.get(step);
      if (buffered && buffered.length > 0) {
        this.openHead();
        for (const entry of buffered) this.emit(entry);
        this.buffers.delete(step);
      }
      if (!this.finished.has(step)) return;
      if (this.headOpen) this.reporter.endGroup();
      this.headOpen = false;
      this.head += 1;
    }
  }

  private openHead(): void {
    if (this.headOpen) return;
    this.reporter.startGroup(STEP_TITLES[this.order[this.head]!]);
    this.headOpen = true;
  }

  private emit(entry: Entry): void {
    this.reporter[entry.kind](entry.line);
  }
}
