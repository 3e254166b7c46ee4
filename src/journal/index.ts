/** The journal of an apply run and its renderings (JSON, text, GitHub Markdown). */
export { countOutcomes, describeCounts, describeFailures, type OutcomeCounts } from './counts.js';
export { type ActionRecord, JournalRecorder, sortByStep } from './recorder.js';
export { type MarkdownOptions, renderJournalMarkdown } from './render-markdown.js';
export {
  describeAcknowledgement,
  formatActionLine,
  renderJournalJson,
  renderJournalSummary,
  renderJournalText,
} from './render-text.js';
export * from './types.js';
