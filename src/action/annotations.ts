import type { AnnotationProperties } from '@actions/core';
import { oneLogLine } from '../render/log-safety.js';
import type { ActionsToolkit } from './toolkit.js';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** GitHub shows at most 10 annotations of each level per step; the rest would be dropped silently. */
export const ANNOTATIONS_PER_LEVEL = 10;

export interface OverflowAnnotation {
  level: AnnotationLevel;
  message: string;
  properties: AnnotationProperties;
}

/** `file:line:col ` of an annotation, or '' when it is not about a file. */
export function describeLocation(properties: AnnotationProperties): string {
  if (!properties.file) return '';
  const line = properties.startLine ? `:${properties.startLine}` : '';
  const column = properties.startLine && properties.startColumn ? `:${properties.startColumn}` : '';
  return `${properties.file}${line}${column} `;
}

/**
 * Raises annotations until GitHub's per-step cap, then logs the rest as plain lines and keeps them for the
 * job summary, so none is lost. @actions/core escapes the message and properties of an annotation, so
 * untrusted text cannot break out of it.
 */
export class AnnotationBudget {
  private readonly used: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  readonly overflow: OverflowAnnotation[] = [];

  constructor(
    private readonly core: Pick<ActionsToolkit, 'error' | 'warning' | 'notice' | 'info'>,
    private readonly perLevel = ANNOTATIONS_PER_LEVEL,
  ) {}

  annotate(level: AnnotationLevel, message: string, properties: AnnotationProperties = {}): void {
    if (this.used[level] < this.perLevel) {
      this.used[level] += 1;
      this.core[level](message, properties);
      return;
    }
    this.overflow.push({ level, message, properties });
    this.core.info(oneLogLine(`${level}: ${describeLocation(properties)}${message}`));
  }
}
