/** The validated repository config, `handover.config.yaml` (docs/design.md#the-config). */
export interface RosterEntry {
  github: string;
  pagerduty: string;
  slack: string;
  email: string;
  tracker: string;
}

export interface HandoverConfig {
  pagerduty: { serviceId: string; scheduleId: string };
  slack: { channel: string; channelName: string };
  platform: { url: string };
  roster: Record<string, RosterEntry>;
}
