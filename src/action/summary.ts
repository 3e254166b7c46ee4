import { errorMessage, plural } from '../format.js';
import { escapeMarkdownInline } from '../render/escape.js';
import { describeLocation, type OverflowAnnotation } from './annotations.js';
import type { ActionsToolkit } from './toolkit.js';

/** The findings GitHub would not show as annotations (its per-step cap), listed so that none is lost. */
export function overflowSection(overflow: OverflowAnnotation[]): string | null {
  if (overflow.length === 0) return null;
  const items = overflow.map((a) => {
    const title = a.properties.title ? `[${a.properties.title}] ` : '';
    return `- **${a.level}** ${escapeMarkdownInline(`${describeLocation(a.properties)}${title}${a.message}`)}`;
  });
  return `### ${plural(overflow.length, 'more finding')}\n\nGitHub shows at most 10 annotations of each kind per step; these are the rest.\n\n${items.join('\n')}`;
}

/**
 * Appends the sections to the job summary. The summary API writes HTML and Markdown as given: every
 * section was built from escaped values. Without GITHUB_STEP_SUMMARY (a local run) the summary is skipped.
 */
export async function writeSummary(
  core: Pick<ActionsToolkit, 'summary' | 'warning'>,
  sections: string[],
): Promise<void> {
  if (sections.length === 0) return;
  try {
    await core.summary.addRaw(`${sections.join('\n\n')}\n`, true).write();
  } catch (error) {
    core.warning(`could not write the job summary: ${errorMessage(error)}`);
  }
}
