/**
 * Where apply's log goes: one group per step, one line per action. The CLI uses the console reporter
 * below; the GitHub Action provides one on @actions/core. Lines handed to a reporter are single lines
 * whose untrusted parts are JSON-encoded (logValue); every line is still neutralised here (render/log-safety.ts),
 * so no text can become a workflow command in either of the runner's grammars.
 */
import { oneLogLine, workflowCommand } from '../../render/log-safety.js';

export interface Reporter {
  startGroup(title: string): void;
  endGroup(): void;
  info(line: string): void;
  /** Something a human should look at; an annotation inside GitHub Actions. */
  warning(line: string): void;
  error(line: string): void;
  /**
   * A progress line during a long run (per-step counts every few seconds), wherever the log is;
   * reporters that keep lines for later (tests, rendering) leave it out.
   */
  progress?(line: string): void;
}

export interface ConsoleReporterOptions {
  /** Inside GitHub Actions: fold groups with `::group::` and raise warnings/errors as annotations. */
  githubActions: boolean;
}

export function createConsoleReporter(
  write: (text: string) => void,
  options: ConsoleReporterOptions,
): Reporter {
  if (options.githubActions) {
    return {
      startGroup: (title) => write(`${workflowCommand('group', title)}\n`),
      endGroup: () => write(`${workflowCommand('endgroup', '')}\n`),
      info: (line) => write(`  ${oneLogLine(line)}\n`),
      warning: (line) => write(`${workflowCommand('warning', line)}\n`),
      error: (line) => write(`${workflowCommand('error', line)}\n`),
      progress: (line) => write(`  ${oneLogLine(line)}\n`),
    };
  }
  return {
    startGroup: (title) => write(`${title}\n`),
    endGroup: () => {},
    info: (line) => write(`  ${oneLogLine(line)}\n`),
    warning: (line) => write(`  warning: ${oneLogLine(line)}\n`),
    error: (line) => write(`  error: ${oneLogLine(line)}\n`),
    progress: (line) => write(`  ${oneLogLine(line)}\n`),
  };
}

/** A reporter that keeps everything, for tests and for callers that render later. */
export interface RecordedLine {
  kind: 'group' | 'endgroup' | 'info' | 'warning' | 'error';
  text: string;
}

export function createMemoryReporter(): Reporter & { lines: RecordedLine[] } {
  const lines: RecordedLine[] = [];
  return {
    lines,
    startGroup: (text) => lines.push({ kind: 'group', text }),
    endGroup: () => lines.push({ kind: 'endgroup', text: '' }),
    info: (text) => lines.push({ kind: 'info', text }),
    warning: (text) => lines.push({ kind: 'warning', text }),
    error: (text) => lines.push({ kind: 'error', text }),
  };
}
