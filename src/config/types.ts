/** The validated repository config, `handover.config.yaml` (docs/design.md#the-config). */
export interface RosterEntry {
  github: string;
  pagerduty: string;
  slack: string;
  email: string;
  tracker: string;
}

/** `prepare:` as written; src/prepare/settings.ts fills in the defaults. */
export interface PrepareConfig {
  leadTimeHours?: number;
  windowHours?: number;
  remindBeforeMinutes?: number;
  escalateAfterMinutes?: number;
  pageServiceId?: string;
  bot?: string;
  baseBranch?: string;
}

export interface HandoverConfig {
  pagerduty: { serviceId: string; scheduleId: string };
  slack: { channel: string; channelName: string };
  platform: { url: string };
  /** Absent: `handover prepare` is not set up, and no bot-authored pull request is a handover. */
  prepare?: PrepareConfig;
  roster: Record<string, RosterEntry>;
}
