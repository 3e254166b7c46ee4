import type { Style } from './style.js';

/** A way to read elapsed time; injected so the narration can be tested without real waiting. */
export type Clock = () => number;

/**
 * Prints the demo as a story: numbered steps, each with one line on what a real team would be doing,
 * the commands run on the user's behalf with their output indented under them, and a closing line with
 * the outcome and how long the step took.
 */
export class Narrator {
  private stepStartedAt = 0;
  /** "step 3 (alice opens a pull request…)", for a failure message; the set-up before any step otherwise. */
  current = 'setting up the sandbox';

  constructor(
    private readonly write: (text: string) => void,
    readonly style: Style,
    private readonly clock: Clock,
    private readonly totalSteps: number,
  ) {}

  line(text = ''): void {
    this.write(`${text}\n`);
  }

  title(text: string): void {
    this.line(this.style.bold(text));
  }

  step(number: number, title: string, why: string): void {
    this.stepStartedAt = this.clock();
    this.current = `step ${number} (${title})`;
    this.line();
    this.line(this.style.bold(this.style.cyan(`Step ${number}/${this.totalSteps} · ${title}`)));
    this.line(this.style.dim(`  ${why}`));
  }

  say(text: string): void {
    this.line(`  ${text}`);
  }

  /** The command as the user would type it. */
  command(argv: readonly string[]): void {
    this.line(`  ${this.style.bold(`$ handover ${argv.join(' ')}`)}`);
  }

  /** A line of a command's output, set off from the narration. */
  output(text: string): void {
    this.line(`  ${this.style.dim('│')} ${text}`);
  }

  ok(text: string): void {
    const seconds = ((this.clock() - this.stepStartedAt) / 1000).toFixed(1);
    this.line(`  ${this.style.green('✓')} ${text} ${this.style.dim(`(${seconds} s)`)}`);
  }

  fail(text: string): void {
    this.line(`  ${this.style.red('✗')} ${text}`);
  }
}
