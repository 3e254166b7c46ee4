import type { HandoverConfig } from '../../config/types.js';
import type { Handover, HandoverIncident } from '../../manifest/types.js';
import {
  type PagerDutyProvider,
  PD_BULK_UPDATE_MAX,
  type PdIncident,
  type PdNote,
  ProviderError,
} from '../../providers/types.js';
import { logValue } from '../../render/log-safety.js';
import { incidentNumberFindings } from '../incident-numbers.js';
import type { LiveState } from '../live-state.js';
import { nameForPagerDutyUser } from '../people.js';
import type { People, PlanFinding } from '../plan/finding.js';
import { isOpen, quoted } from '../plan/finding.js';
import type { PlanInput, PlannedItem } from '../plan/item.js';
import { mapConcurrent, RankedPool } from '../runtime/concurrency.js';
import { type ApplyContext, type ItemResult, noteMarker } from '../runtime/context.js';
import { classify, type StepRun } from '../runtime/step-run.js';
import { type BulkOutcome, incidentTarget, performBulk } from './incidents-bulk.js';
import { incidentsWithNotes, type LogRead, startLogRead } from './incidents-doubt.js';
import { acknowledgementNote, acknowledgementSentence, markedNote, statusNote } from './incidents-notes.js';

/** An incident being handed over, as read at the start of the step. */
interface Member {
  item: HandoverIncident;
  incident: PdIncident;
  title: string;
  /** Its notes, when they were read (only when some may already be ours). */
  notes: PdNote[] | null;
}

/**
 * Step 2: per incident, strictly in this order — the status paragraph as a note from the outgoing
 * admin, reassignment to the incoming admin, acknowledgement as the incoming admin (reassignment puts
 * the incident back to triggered), and a note citing the approval.
 *
 * The notes are one request per incident; reassignment and acknowledgement are one PUT /incidents per
 * batch of up to 250 incidents (in manifest order; batchesOf). A batch is reassigned only once the status note
 * of every incident in it is in place: a note that failed because PagerDuty broke holds its batch
 * back (the run fails, and a re-run hands the batch over in one request, so a crash followed by a
 * re-run makes exactly the requests of a clean run); a note PagerDuty refused for that incident alone
 * (gone, invalid) drops just that incident from the batch. Notes are read before writing only where
 * some may already be there (see incidentsWithNotes).
 *
 * `read` is the step's reads, which apply starts during preflight (see readIncidents); `frozen` settles
 * when step 1 is over: the status notes go beside it, the reassignments only after it, in runbook order.
 */
export async function handOverIncidents(
  run: StepRun,
  read: Promise<IncidentsRead>,
  frozen: Promise<unknown>,
): Promise<void> {
  const { ctx } = run;
  if (ctx.handover.incidents.length === 0) {
    run.info('no incidents in this handover');
    ctx.results.incidents = [];
    return;
  }
  const results = new Map<string, ItemResult>();
  const { lookups, doubt, doubtWhy } = await read;
  if (doubtWhy !== null) run.info(doubtWhy);
  const members = settleLookups(run, lookups, results);
  // One pool for every batch's notes: all status notes first, in manifest order, then each batch's
  // acknowledgement notes once its bulk updates are done (RankedPool).
  const notes = new RankedPool(ctx.itemConcurrency);
  await Promise.all(
    batchesOf(members, ctx.itemConcurrency).map((batch) =>
      handOverBatch(run, batch, { doubt, results, frozen, notes }),
    ),
  );
  ctx.results.incidents = ctx.handover.incidents.map(
    (item) =>
      results.get(item.id) ?? { id: item.id, title: item.title ?? null, covered: false, failed: true },
  );
}

/** One manifest incident as read: the live incident, or why it could not be read. */
interface IncidentLookup {
  item: HandoverIncident;
  incident: PdIncident | null;
  error?: unknown;
}

/** What step 2 reads before its first write. Plain data: reading records nothing in the journal. */
export interface IncidentsRead {
  lookups: IncidentLookup[];
  /** The incidents whose notes must be read before writing (null: every one). */
  doubt: Set<string> | null;
  /** Why every incident is in doubt, when the account's log could not be read. */
  doubtWhy: string | null;
}

/**
 * Step 2's reads: one list call (its pages read side by side) for every open incident of the service;
 * an incident not in it (resolved, another service's, unknown) is then read on its own; then the
 * account's log says which may already carry notes. Nothing here writes or records: preflight starts the
 * list beside its reachability reads (startOpenIncidentsRead), and apply starts the rest as soon as every
 * service has answered, beside the rest of preflight and step 1.
 */
export async function readIncidents(
  ctx: ApplyContext,
  /** The list read preflight started beside its reachability reads (startOpenIncidentsRead), if any. */
  early?: Promise<OpenIncidents>,
): Promise<IncidentsRead> {
  const items = ctx.handover.incidents;
  if (items.length === 0) return { lookups: [], doubt: new Set(), doubtWhy: null };
  const again = () => startOpenIncidentsRead(ctx.read.pagerduty, ctx.read.pagerduty, ctx);
  // The early read tries once; a failed one is read again, retrying as every read does. With no list
  // at all (not fatal), each incident is read on its own below, and fails there if PagerDuty is down.
  const found = await (early ? early.catch(again) : again()).catch(() => null);
  const open = new Map<string, PdIncident>((found?.listed ?? []).map((incident) => [incident.id, incident]));
  const logRead = found?.logRead;
  const lookups = await mapConcurrent(items, ctx.itemConcurrency, async (item): Promise<IncidentLookup> => {
    try {
      return { item, incident: open.get(item.id) ?? (await ctx.read.pagerduty.getIncident(item.id)) };
    } catch (error) {
      return { item, incident: null, error };
    }
  });
  const handedOver = lookups
    .map((lookup) => lookup.incident)
    .filter(
      (incident): incident is PdIncident =>
        incident !== null &&
        incident.serviceId === ctx.config.pagerduty.serviceId &&
        incident.status !== 'resolved',
    );
  let doubtWhy: string | null = null;
  const doubt = await incidentsWithNotes(
    ctx.read.pagerduty,
    handedOver,
    (why) => {
      doubtWhy = why;
    },
    logRead,
  );
  return { lookups, doubt, doubtWhy };
}

/** The service's open incidents, oldest first, and the account's log read started from the first page. */
export interface OpenIncidents {
  listed: PdIncident[];
  logRead: LogRead | undefined;
}

/**
 * Lists the service's open incidents with `list` (oldest first) and, from the first page, starts
 * reading the account's log with `log` beside the other pages. Preflight starts it with a client that
 * tries once, beside its reachability reads, so a PagerDuty that is down costs no retries there; the
 * first page, when `firstPage` is told of it, is PagerDuty's reachability read.
 */
export async function startOpenIncidentsRead(
  list: PagerDutyProvider,
  log: PagerDutyProvider,
  { config, handover }: Pick<ApplyContext, 'config' | 'handover'>,
  firstPage?: () => void,
): Promise<OpenIncidents> {
  let logRead: LogRead | undefined;
  const listed = await list.listIncidents(
    { serviceIds: [config.pagerduty.serviceId], statuses: ['triggered', 'acknowledged'] },
    {
      // Oldest first: the log read can start from the first page, beside the others.
      onFirstPage: (first) => {
        firstPage?.();
        const oldest = Math.min(...first.map((incident) => Date.parse(incident.createdAt)));
        if (Number.isFinite(oldest)) logRead = startLogRead(log, oldest, handover.incidents.length);
      },
    },
  );
  return { listed, logRead };
}

/** Records what the reads settled (unknown, unreadable, another service's, resolved); returns the rest. */
function settleLookups(run: StepRun, lookups: IncidentLookup[], results: Map<string, ItemResult>): Member[] {
  const { ctx } = run;
  const members: Member[] = [];
  for (const { item, incident, error } of lookups) {
    const target = incidentTarget(item.id);
    const result = (covered: boolean, failed: boolean, title: string | null = item.title ?? null) =>
      results.set(item.id, { id: item.id, title, covered, failed });
    if (incident === null) {
      if (error instanceof ProviderError && error.kind === 'not-found')
        run.failure(
          target,
          'hand over',
          `PagerDuty does not know this incident; hand it over by hand or in a new manifest`,
        );
      else run.fail(target, 'hand over', error);
      result(false, true);
      continue;
    }
    const title = item.title ?? incident.title;
    if (incident.serviceId !== ctx.config.pagerduty.serviceId) {
      run.skipWithWarning(
        target,
        'hand over',
        `belongs to service ${logValue(incident.serviceId)}, not ${logValue(ctx.config.pagerduty.serviceId)}: left alone`,
      );
      result(false, false, title);
      continue;
    }
    if (incident.status === 'resolved') {
      run.skipWithWarning(target, 'hand over', 'resolved since the manifest was written: left alone');
      result(false, false, title);
      continue;
    }
    members.push({ item, incident, title, notes: null });
  }
  return members;
}

/**
 * The batches of step 2, in manifest order: as few as PUT /incidents allows (250 a request), and at
 * least two once there are more incidents than two rounds of notes in flight. A lone batch leaves
 * PagerDuty's lane idle while its two bulk updates go, between the last status note and the first
 * acknowledgement note; with two, each batch's bulk updates go while the other's notes are written.
 * Two extra requests buy back two round trips. Batches are of equal size, so neither phase runs dry.
 * A re-run batches the same incidents the same way.
 */
export function batchesOf<T>(members: readonly T[], notesInFlight: number): T[][] {
  const count = Math.max(
    Math.ceil(members.length / PD_BULK_UPDATE_MAX),
    members.length > 2 * notesInFlight ? 2 : 1,
  );
  const size = Math.ceil(members.length / count);
  const batches: T[][] = [];
  for (let i = 0; i < members.length; i += size) batches.push(members.slice(i, i + size));
  return batches;
}

function assignedExactlyTo(incident: PdIncident, userId: string): boolean {
  return incident.assigneeIds.length === 1 && incident.assigneeIds[0] === userId;
}

interface BatchShared {
  /** The incidents whose notes must be read before writing (null: every one). */
  doubt: Set<string> | null;
  results: Map<string, ItemResult>;
  /** Settles when step 1 is over. */
  frozen: Promise<unknown>;
  /** Every batch's notes, status notes first. */
  notes: RankedPool;
}

const STATUS_NOTES = 0;
const ACKNOWLEDGEMENT_NOTES = 1;

async function handOverBatch(
  run: StepRun,
  batch: Member[],
  { doubt, results, frozen, notes }: BatchShared,
): Promise<void> {
  const { ctx } = run;
  const { handover, outgoing, incoming } = ctx;
  const pagerduty = ctx.read.pagerduty;
  const result = (member: Member, covered: boolean, failed: boolean) =>
    results.set(member.item.id, { id: member.item.id, title: member.title, covered, failed });
  const trace = (note: PdNote | undefined) => {
    if (note) ctx.results.traceTimes.push(note.createdAt);
  };
  const statusMarker = noteMarker(handover.id, 'status');
  const ackMarker = noteMarker(handover.id, 'ack');

  // 1. The status paragraphs, from the outgoing admin (read first only where some may be there).
  const held: string[] = [];
  const ready: Member[] = [];
  await notes.map(batch, STATUS_NOTES, async (member) => {
    const { item } = member;
    const target = incidentTarget(item.id);
    let failure: unknown;
    try {
      if (doubt === null || doubt.has(item.id)) member.notes = await pagerduty.listNotes(item.id);
      const existing = member.notes ? markedNote(member.notes, statusMarker) : undefined;
      if (existing) {
        trace(existing);
        run.record(target, 'post status note', 'already-done', 'the status note of this handover is there');
        ready.push(member);
        return;
      }
      const outcome = await run.perform({
        target,
        action: 'post status note',
        done: `posted the status paragraph as ${outgoing.handle}`,
        would: `post the status paragraph as ${outgoing.handle}`,
        write: async () => {
          try {
            trace(
              await ctx.write.pagerduty.addNote(
                item.id,
                statusNote(handover, item, { outgoing, incoming }, ctx.acknowledgement),
                outgoing.email,
              ),
            );
          } catch (error) {
            failure = error;
            throw error;
          }
        },
        landed: async () => {
          const note = markedNote(await pagerduty.listNotes(item.id), statusMarker);
          trace(note);
          return note !== undefined;
        },
      });
      if (outcome !== 'failed') {
        ready.push(member);
        return;
      }
    } catch (error) {
      run.fail(target, 'hand over', error, 'could not read its notes');
      failure = error;
    }
    result(member, false, true);
    // A refusal of this incident alone drops it; a breakage of PagerDuty holds the whole batch.
    if (failure === undefined || classify(failure).kind === 'error') held.push(item.id);
  });
  const order = new Map(batch.map((member, index) => [member.item.id, index]));
  ready.sort((a, b) => order.get(a.item.id)! - order.get(b.item.id)!);
  if (held.length > 0) {
    const why = `held back with its batch: the status note of ${held.map(incidentTarget).join(', ')} could not be posted, and a reassignment without its status paragraph is not a handover; a re-run hands the batch over`;
    for (const member of ready) {
      run.skipWithWarning(incidentTarget(member.item.id), 'reassign', why);
      result(member, false, true);
    }
    return;
  }

  // 2. Reassign to the incoming admin, in one request (reassigning puts an incident back to triggered),
  // once step 1 is over: the runbook freezes new assignments before it moves any.
  await frozen;
  const toReassign = ready.filter((m) => !assignedExactlyTo(m.incident, incoming.pagerduty));
  for (const member of ready) {
    if (!toReassign.includes(member))
      run.record(
        incidentTarget(member.item.id),
        'reassign',
        'already-done',
        `already assigned to ${incoming.handle} alone`,
      );
  }
  const reassigned = await performBulk(run, {
    action: 'reassign',
    done: `reassigned to ${incoming.handle}`,
    would: `reassign to ${incoming.handle}`,
    ids: toReassign.map((m) => m.item.id),
    write: (ids) =>
      ctx.write.pagerduty.updateIncidents(
        ids.map((id) => ({ id, assigneeId: incoming.pagerduty })),
        outgoing.email,
      ),
    landed: (ids) => showAll(run, ids, (i) => assignedExactlyTo(i, incoming.pagerduty)),
  });
  const afterReassign = ready.filter((m) => {
    if (reassigned.get(m.item.id) !== 'failed') return true;
    result(m, false, true);
    return false;
  });

  // 3. Acknowledge as the incoming admin, in one request.
  const toAcknowledge = afterReassign.filter(
    (m) => reassigned.has(m.item.id) || m.incident.status !== 'acknowledged',
  );
  for (const member of afterReassign) {
    if (!toAcknowledge.includes(member))
      run.record(
        incidentTarget(member.item.id),
        'acknowledge',
        'already-done',
        `already acknowledged with ${incoming.handle} assigned`,
      );
  }
  const acknowledged = await performBulk(run, {
    action: 'acknowledge',
    done: `acknowledged as ${incoming.handle}`,
    would: `acknowledge as ${incoming.handle}`,
    ids: toAcknowledge.map((m) => m.item.id),
    write: (ids) =>
      ctx.write.pagerduty.updateIncidents(
        ids.map((id) => ({ id, status: 'acknowledged' as const })),
        incoming.email,
      ),
    landed: (ids) => showAll(run, ids, (i) => i.status === 'acknowledged'),
  });

  // 4. The note that records the acknowledgement (the approval) on each incident.
  await notes.map(afterReassign, ACKNOWLEDGEMENT_NOTES, async (member) => {
    const { item } = member;
    const target = incidentTarget(item.id);
    if ((acknowledged.get(item.id) as BulkOutcome | undefined) === 'failed') {
      result(member, true, true);
      return;
    }
    if (member.notes && markedNote(member.notes, ackMarker)) {
      run.record(target, 'post acknowledgement note', 'already-done', 'the acknowledgement note is there');
      result(member, true, false);
      return;
    }
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
      landed: async () => markedNote(await pagerduty.listNotes(item.id), ackMarker) !== undefined,
    });
    result(member, true, outcome === 'failed');
  });
}

/** Whether every one of `ids` now shows the change: a couple read one by one, more in one list call. */
async function showAll(
  run: StepRun,
  ids: readonly string[],
  shows: (incident: PdIncident) => boolean,
): Promise<boolean> {
  const { pagerduty } = run.ctx.read;
  if (ids.length <= 2) {
    for (const id of ids) if (!shows(await pagerduty.getIncident(id))) return false;
    return true;
  }
  const listed = await pagerduty.listIncidents({
    serviceIds: [run.ctx.config.pagerduty.serviceId],
    statuses: ['triggered', 'acknowledged'],
  });
  const byId = new Map(listed.map((incident) => [incident.id, incident]));
  return ids.every((id) => {
    const incident = byId.get(id);
    return incident !== undefined && shows(incident);
  });
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
  // An incident listed by its number is refused (incident.by-number) and not reported as omitted too.
  const findings: PlanFinding[] = incidentNumberFindings(handover, live.manifestIncidents);
  const listed = new Set(handover.incidents.map((incident) => incident.id));
  for (const incident of live.manifestIncidents.values()) if (incident) listed.add(incident.id);
  // During a mid-shift outage the outage incident is handed over by the outage block, not the list.
  const outageId = handover.variant === 'mid-shift-outage' ? handover.outage?.incident : undefined;

  for (const incident of live.openIncidents) {
    // The outage by its real id too, should the manifest name it by number (refused as incident.by-number).
    if (listed.has(incident.id) || incident.id === outageId || incident.id === live.outageIncident?.id)
      continue;
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
    if (incident !== null && incident.id !== item.id) continue; // named by number: refused above
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
