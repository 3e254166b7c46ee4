import type { HandoverConfig } from '../../config/types.js';
import type { Handover, HandoverIncident } from '../../manifest/types.js';
import { type PdIncident, type PdNote, ProviderError } from '../../providers/types.js';
import { logValue } from '../../render/log-safety.js';
import type { LiveState } from '../live-state.js';
import { nameForPagerDutyUser } from '../people.js';
import type { People, PlanFinding } from '../plan/finding.js';
import { isOpen, quoted } from '../plan/finding.js';
import type { PlanInput, PlannedItem } from '../plan/item.js';
import { mapConcurrent } from '../runtime/concurrency.js';
import { type ItemResult, noteMarker } from '../runtime/context.js';
import type { StepRun } from '../runtime/step-run.js';
import { acknowledgementNote, acknowledgementSentence, markedNote, statusNote } from './incidents-notes.js';

/**
 * Step 2: per incident, strictly in this order — the status paragraph as a note from the outgoing
 * admin, reassignment to the incoming admin, acknowledgement as the incoming admin (reassignment puts
 * the incident back to triggered), and a note citing the approval. Incidents run concurrently; a
 * failure stops only its own incident.
 */
export async function handOverIncidents(run: StepRun): Promise<void> {
  const { ctx } = run;
  if (ctx.handover.incidents.length === 0) {
    run.info('no incidents in this handover');
    ctx.results.incidents = [];
    return;
  }
  // One list call reads every open incident of the service (a few pages, not one call per incident);
  // an incident not in it (resolved, another service's, unknown) is then read on its own.
  const open = new Map<string, PdIncident>();
  try {
    const listed = await ctx.read.pagerduty.listIncidents({
      serviceIds: [ctx.config.pagerduty.serviceId],
      statuses: ['triggered', 'acknowledged'],
    });
    for (const incident of listed) open.set(incident.id, incident);
  } catch {
    // Not fatal: each incident is read on its own below, and fails there if PagerDuty is down.
  }
  ctx.results.incidents = await mapConcurrent(ctx.handover.incidents, ctx.itemConcurrency, async (item) => {
    try {
      return await handOverIncident(run, item, open.get(item.id));
    } catch (error) {
      run.fail(`incident ${logValue(item.id)}`, 'hand over', error);
      return { id: item.id, title: item.title ?? null, covered: false, failed: true };
    }
  });
}

function assignedExactlyTo(incident: PdIncident, userId: string): boolean {
  return incident.assigneeIds.length === 1 && incident.assigneeIds[0] === userId;
}

async function handOverIncident(
  run: StepRun,
  item: HandoverIncident,
  listed: PdIncident | undefined,
): Promise<ItemResult> {
  const { ctx } = run;
  const { pagerduty } = ctx.read;
  const { handover, outgoing, incoming } = ctx;
  const target = `incident ${logValue(item.id)}`;
  const result = (covered: boolean, failed: boolean, title: string | null = item.title ?? null) => ({
    id: item.id,
    title,
    covered,
    failed,
  });

  let incident: PdIncident;
  try {
    incident = listed ?? (await pagerduty.getIncident(item.id));
  } catch (error) {
    if (error instanceof ProviderError && error.kind === 'not-found') {
      run.failure(
        target,
        'hand over',
        `PagerDuty does not know this incident; hand it over by hand or in a new manifest`,
      );
      return result(false, true);
    }
    throw error;
  }
  const title = item.title ?? incident.title;
  if (incident.serviceId !== ctx.config.pagerduty.serviceId) {
    run.skipWithWarning(
      target,
      'hand over',
      `belongs to service ${logValue(incident.serviceId)}, not ${logValue(ctx.config.pagerduty.serviceId)}: left alone`,
    );
    return result(false, false, title);
  }
  if (incident.status === 'resolved') {
    run.skipWithWarning(target, 'hand over', 'resolved since the manifest was written: left alone');
    return result(false, false, title);
  }

  const notes = await pagerduty.listNotes(item.id);
  const statusMarker = noteMarker(handover.id, 'status');
  const notesNow = async () => pagerduty.listNotes(item.id);

  const trace = (note: PdNote | undefined) => {
    if (note) ctx.results.traceTimes.push(note.createdAt);
  };

  // 1. The status paragraph, from the outgoing admin.
  const existingStatus = markedNote(notes, statusMarker);
  if (existingStatus) {
    trace(existingStatus);
    run.record(target, 'post status note', 'already-done', 'the status note of this handover is there');
  } else {
    const outcome = await run.perform({
      target,
      action: 'post status note',
      done: `posted the status paragraph as ${outgoing.handle}`,
      would: `post the status paragraph as ${outgoing.handle}`,
      write: async () =>
        trace(
          await ctx.write.pagerduty.addNote(
            item.id,
            statusNote(handover, item, { outgoing, incoming }, ctx.acknowledgement),
            outgoing.email,
          ),
        ),
      landed: async () => {
        const note = markedNote(await notesNow(), statusMarker);
        trace(note);
        return note !== undefined;
      },
    });
    if (outcome === 'failed') return result(false, true, title);
  }

  // 2. Reassign to the incoming admin (reassigning puts the incident back to triggered).
  let reassigned = false;
  if (assignedExactlyTo(incident, incoming.pagerduty)) {
    run.record(target, 'reassign', 'already-done', `already assigned to ${incoming.handle} alone`);
  } else {
    const outcome = await run.perform({
      target,
      action: 'reassign',
      done: `reassigned to ${incoming.handle}`,
      would: `reassign to ${incoming.handle}`,
      write: () => ctx.write.pagerduty.reassignIncident(item.id, incoming.pagerduty, outgoing.email),
      landed: async () => assignedExactlyTo(await pagerduty.getIncident(item.id), incoming.pagerduty),
    });
    if (outcome === 'failed') return result(false, true, title);
    reassigned = true;
  }

  // 3. Acknowledge as the incoming admin.
  if (!reassigned && incident.status === 'acknowledged') {
    run.record(
      target,
      'acknowledge',
      'already-done',
      `already acknowledged with ${incoming.handle} assigned`,
    );
  } else {
    const outcome = await run.perform({
      target,
      action: 'acknowledge',
      done: `acknowledged as ${incoming.handle}`,
      would: `acknowledge as ${incoming.handle}`,
      write: () => ctx.write.pagerduty.acknowledgeIncident(item.id, incoming.email),
      landed: async () => (await pagerduty.getIncident(item.id)).status === 'acknowledged',
    });
    if (outcome === 'failed') return result(true, true, title);
  }

  // 4. The note that records the acknowledgement (the approval) on the incident.
  const ackMarker = noteMarker(handover.id, 'ack');
  if (markedNote(notes, ackMarker)) {
    run.record(target, 'post acknowledgement note', 'already-done', 'the acknowledgement note is there');
  } else {
    const outcome = await run.perform({
      target,
      action: 'post acknowledgement note',
      done: acknowledgementSentence(incoming, ctx.acknowledgement),
      would: `note: ${acknowledgementSentence(incoming, ctx.acknowledgement)}`,
      write: () =>
        ctx.write.pagerduty.addNote(
          item.id,
          acknowledgementNote(handover.id, incoming, ctx.acknowledgement),
          incoming.email,
        ),
      landed: async () => markedNote(await notesNow(), ackMarker) !== undefined,
    });
    if (outcome === 'failed') return result(true, true, title);
  }
  return result(true, false, title);
}

/** What plan shows for step 2: per listed incident, the note, the reassignment and the acknowledgement. */
export function planIncidents({ handover, config, live }: PlanInput): PlannedItem[] {
  return handover.incidents.map((item) => {
    const incident = live.manifestIncidents.get(item.id) ?? null;
    const title = item.title ?? incident?.title;
    const base = { section: 'incidents' as const, target: item.id, ...(title ? { title } : {}) };
    if (incident === null)
      return { ...base, live: 'unknown to PagerDuty', actions: [], skipped: 'not found' };
    const assignees =
      incident.assigneeIds.map((id) => nameForPagerDutyUser(config, id)).join(', ') || 'nobody';
    const state = `${incident.status}, assigned to ${assignees}`;
    if (incident.status === 'resolved')
      return { ...base, live: state, actions: [], skipped: 'already resolved' };
    const note = item.status
      ? `post the status paragraph as a note from ${handover.outgoing}`
      : `post a note from ${handover.outgoing}: emergency handover, no status paragraph (read the incident log)`;
    return {
      ...base,
      live: state,
      actions: [
        note,
        `reassign to ${handover.incoming}`,
        `record ${handover.incoming}'s acknowledgement (the pull request approval) on the incident`,
      ],
      skipped: null,
    };
  });
}

export function incidentFindings(
  handover: Handover,
  config: HandoverConfig,
  live: LiveState,
  who: People,
): PlanFinding[] {
  const findings: PlanFinding[] = [];
  const listed = new Set(handover.incidents.map((incident) => incident.id));
  // During a mid-shift outage the outage incident is handed over by the outage block, not the list.
  const outageId = handover.variant === 'mid-shift-outage' ? handover.outage?.incident : undefined;

  for (const incident of live.openIncidents) {
    if (listed.has(incident.id) || incident.id === outageId) continue;
    const ours = who.outgoingPagerDuty !== undefined && incident.assigneeIds.includes(who.outgoingPagerDuty);
    if (ours) {
      findings.push({
        severity: 'error',
        section: 'incidents',
        target: incident.id,
        rule: 'incident.omitted',
        message: `${quoted(incident.id, incident.title)} is ${incident.status} and assigned to ${who.outgoing}, but the manifest does not list it: add it under incidents with its status paragraph, or resolve it before the handover`,
      });
    } else {
      const assignees = incident.assigneeIds.map((id) => nameForPagerDutyUser(config, id));
      findings.push({
        severity: 'info',
        section: 'incidents',
        target: incident.id,
        rule: 'incident.not-outgoing',
        message: `${quoted(incident.id, incident.title)} is ${incident.status} in the service but assigned to ${assignees.length > 0 ? assignees.join(', ') : 'nobody'}, not ${who.outgoing}: not part of this handover`,
      });
    }
  }

  for (const item of handover.incidents) {
    const incident = live.manifestIncidents.get(item.id) ?? null;
    if (incident === null) {
      findings.push({
        severity: 'warning',
        section: 'incidents',
        target: item.id,
        rule: 'incident.unknown',
        message: `PagerDuty does not know incident ${item.id}: check the id; apply will skip it`,
      });
      continue;
    }
    if (!isOpen(incident)) {
      findings.push({
        severity: 'warning',
        section: 'incidents',
        target: item.id,
        rule: 'incident.resolved',
        message: `${quoted(item.id, incident.title)} is already resolved: apply will skip it; remove it from the manifest or leave it as a record`,
      });
      continue;
    }
    if (incident.serviceId !== config.pagerduty.serviceId) {
      findings.push({
        severity: 'warning',
        section: 'incidents',
        target: item.id,
        rule: 'incident.other-service',
        message: `${quoted(item.id, incident.title)} belongs to service ${incident.serviceId}, not ${config.pagerduty.serviceId}: apply will still reassign it to ${who.incoming}; remove it if that is not intended`,
      });
    }
    const ours = who.outgoingPagerDuty !== undefined && incident.assigneeIds.includes(who.outgoingPagerDuty);
    if (!ours) {
      const assignees = incident.assigneeIds.map((id) => nameForPagerDutyUser(config, id));
      findings.push({
        severity: 'warning',
        section: 'incidents',
        target: item.id,
        rule: 'incident.not-outgoing',
        message: `${quoted(item.id, incident.title)} is assigned to ${assignees.length > 0 ? assignees.join(', ') : 'nobody'}, not ${who.outgoing}: apply will still reassign it to ${who.incoming}`,
      });
    }
  }
  return findings;
}
