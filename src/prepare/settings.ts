import type { HandoverConfig } from '../config/types.js';

/** `prepare:` of the config with every default filled in (docs/prepare.md lists them). */
export interface PrepareSettings {
  leadTimeMs: number;
  windowHours: number;
  remindBeforeMs: number;
  escalateAfterMs: number;
  pageServiceId: string | null;
  bot: string;
  baseBranch: string;
}

const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

export const DEFAULT_PREPARE_BOT = 'github-actions[bot]';

/** Null when the config has no `prepare:` section: prepare is not set up for this repository. */
export function prepareSettings(config: HandoverConfig): PrepareSettings | null {
  const prepare = config.prepare;
  if (!prepare) return null;
  return {
    leadTimeMs: (prepare.leadTimeHours ?? 4) * HOUR_MS,
    windowHours: prepare.windowHours ?? 2,
    remindBeforeMs: (prepare.remindBeforeMinutes ?? 60) * MINUTE_MS,
    escalateAfterMs: (prepare.escalateAfterMinutes ?? 0) * MINUTE_MS,
    pageServiceId: prepare.pageServiceId ?? null,
    bot: prepare.bot ?? DEFAULT_PREPARE_BOT,
    baseBranch: prepare.baseBranch ?? 'main',
  };
}

/** The head branches of prepare's pull requests start with this. */
export const PREPARE_BRANCH_PREFIX = 'handover/prepare/';
