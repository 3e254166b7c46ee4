/** The validated, typed form of a handover manifest (docs/design.md#the-manifest). Produced only by the manifest parser. */
export const VARIANTS = ['planned', 'weekly-rotation', 'emergency', 'mid-shift-outage'] as const;
export type Variant = (typeof VARIANTS)[number];

export const REASONS = ['rotation', 'departure'] as const;
export type Reason = (typeof REASONS)[number];

export const DISPOSITIONS = ['waiting_on_customer', 'waiting_on_engineering', 'active'] as const;
export type TicketDisposition = (typeof DISPOSITIONS)[number];

export const ROLLOUT_STATES = ['ramping', 'paused'] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];

export interface IncidentStatus {
  hypothesis: string;
  lastAction: string;
  nextAction: string;
}

export interface HandoverIncident {
  id: string;
  title?: string;
  /** Absent only in an emergency. */
  status?: IncidentStatus;
}

export interface HandoverTicket {
  id: string;
  disposition: TicketDisposition;
  /** Required for waiting_on_engineering: a URL or `owner/repo#N`. */
  engineeringIssue?: string;
  /** An open impersonation session to end before the ticket moves. */
  impersonationSession?: string;
}

export interface HandoverRollout {
  flag: string;
  state: RolloutState;
  rampPercent: number;
  lastErrorRatePercent: number;
  nextStep: string;
}

export interface HandoverWindow {
  /** ISO 8601 instant. Absent only in an emergency, where it means "now". */
  start?: string;
  end: string;
}

export interface Handover {
  apiVersion: 'handover/v1';
  kind: 'Handover';
  id: string;
  variant: Variant;
  reason: Reason;
  outgoing: string;
  incoming: string;
  window: HandoverWindow;
  incidents: HandoverIncident[];
  tickets: HandoverTicket[];
  rollouts: HandoverRollout[];
  emergency?: { cause: 'incapacitated' | 'compromised' };
  outage?: { incident: string; lead: string };
}
