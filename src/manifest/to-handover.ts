import type { Handover, HandoverIncident, HandoverRollout, HandoverTicket } from './types.js';

/** The document once the schema and every rule accepted it: lists may still be absent. */
export type ValidManifestDocument = Omit<Handover, 'incidents' | 'tickets' | 'rollouts'> & {
  incidents?: HandoverIncident[];
  tickets?: HandoverTicket[];
  rollouts?: HandoverRollout[];
};

/**
 * The typed Handover, built field by field from a valid document (never by copying the parsed
 * object, so nothing the schema did not name can ride along), with absent lists normalised to [].
 */
export function toHandover(document: ValidManifestDocument): Handover {
  const handover: Handover = {
    apiVersion: document.apiVersion,
    kind: document.kind,
    id: document.id,
    variant: document.variant,
    reason: document.reason,
    outgoing: document.outgoing,
    incoming: document.incoming,
    window: {
      ...(document.window.start !== undefined ? { start: document.window.start } : {}),
      end: document.window.end,
    },
    incidents: (document.incidents ?? []).map((incident) => ({
      id: incident.id,
      ...(incident.title !== undefined ? { title: incident.title } : {}),
      ...(incident.status !== undefined
        ? {
            status: {
              hypothesis: incident.status.hypothesis,
              lastAction: incident.status.lastAction,
              nextAction: incident.status.nextAction,
            },
          }
        : {}),
    })),
    tickets: (document.tickets ?? []).map((ticket) => ({
      id: ticket.id,
      disposition: ticket.disposition,
      ...(ticket.engineeringIssue !== undefined ? { engineeringIssue: ticket.engineeringIssue } : {}),
      ...(ticket.impersonationSession !== undefined
        ? { impersonationSession: ticket.impersonationSession }
        : {}),
    })),
    rollouts: (document.rollouts ?? []).map((rollout) => ({
      flag: rollout.flag,
      state: rollout.state,
      rampPercent: rollout.rampPercent,
      lastErrorRatePercent: rollout.lastErrorRatePercent,
      nextStep: rollout.nextStep,
    })),
  };
  if (document.emergency) handover.emergency = { cause: document.emergency.cause };
  if (document.outage) handover.outage = { incident: document.outage.incident, lead: document.outage.lead };
  return handover;
}
