import { oneLogLine } from '../render/log-safety.js';
import type { Reporter } from '../runbook/runtime/reporter.js';
import type { AnnotationBudget } from './annotations.js';
import type { ActionsToolkit } from './toolkit.js';

/**
 * apply's log on @actions/core: a collapsible log group per step, one line per action, warnings and
 * errors as annotations (within GitHub's cap; the rest go to the summary). apply already JSON-encodes the
 * untrusted parts of its lines; each line is still forced onto one line that cannot start a command.
 */
export function createActionsReporter(
  core: Pick<ActionsToolkit, 'startGroup' | 'endGroup' | 'info'>,
  annotations: AnnotationBudget,
  /** Names the handover in every group title when one run applies several. */
  groupPrefix = '',
): Reporter {
  return {
    startGroup: (title) => core.startGroup(oneLogLine(groupPrefix ? `${groupPrefix} · ${title}` : title)),
    endGroup: () => core.endGroup(),
    info: (line) => core.info(`  ${oneLogLine(line)}`),
    warning: (line) => annotations.annotate('warning', oneLogLine(line)),
    error: (line) => annotations.annotate('error', oneLogLine(line)),
    progress: (line) => core.info(`  ${oneLogLine(line)}`),
  };
}
