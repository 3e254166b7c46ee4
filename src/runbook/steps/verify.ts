import type { PdOnCall } from '../../providers/types.js';
import { logValue } from '../../render/log-safety.js';
import { type LiveState, readLiveState } from '../live-state.js';
import type { PlanInput, PlannedItem } from '../plan/item.js';
import type { ApplyContext } from '../runtime/context.js';
import type { StepRun } from '../runtime/step-run.js';
import { readHolderOnCalls, readStatusCommit, type StatusCommit, verifyHolders } from './verify-holders.js';
import { findStranded, type PlanFinding } from './verify-stranded.js';

interface Stranded {
  target: string;
  detail: string;
}

/**
 * What is still with the outgoing admin: what plan's findStranded reports (items the manifest omits)
 * and, after a real run, anything of the manifest whose hand-over failed. Pure.
 */
export function strandedItems(
  findings: readonly PlanFinding[],
  live: LiveState,
  outgoing: { pagerduty: string; tracker: string; handle: string },
  includeLive: boolean,
): Stranded[] {
  const items = new Map<string, Stranded>();
  for (const finding of findings) {
    if (finding.severity !== 'error') continue;
    if (finding.section !== 'incidents' && finding.section !== 'tickets') continue;
    const kind = finding.section === 'incidents' ? 'incident' : 'ticket';
    items.set(`${kind} ${finding.target}`, {
      target: `${kind} ${logValue(finding.target)}`,
      detail: finding.message,
    });
  }
  if (!includeLive) return [...items.values()];
  for (const incident of live.openIncidents) {
    if (!incident.assigneeIds.includes(outgoing.pagerduty)) continue;
    const key = `incident ${incident.id}`;
    if (!items.has(key))
      items.set(key, {
        target: `incident ${logValue(incident.id)}`,
        detail: `still open and assigned to ${outgoing.handle}`,
      });
  }
  for (const ticket of live.pinnedTickets) {
    const key = `ticket ${ticket.id}`;
    if (!items.has(key))
      items.set(key, {
        target: `ticket ${logValue(ticket.id)}`,
        detail: `still pinned and assigned to ${outgoing.tracker}`,
      });
  }
  return [...items.values()];
}

/** What step 7 reads: started once steps 1–4 have written, so it may run beside the summary's posts. */
export interface VerifyReads {
  live: Promise<LiveState>;
  onCalls: Promise<PdOnCall[]>;
  /** Where the `handover/verified` status goes (null: none is published). */
  statusCommit: Promise<StatusCommit> | null;
}

/**
 * Starts step 7's reads. Only steps 1–4 change what they read (the summary, digest and audit post or
 * read elsewhere), so apply starts them when those steps are done, beside step 5, not after it.
 * Each promise is awaited (and its failure reported) by verify; neither rejects unhandled.
 */
export function readForVerify(ctx: ApplyContext): VerifyReads {
  // The incoming admin's pinned tickets too: after the handover that is where the manifest's are.
  const live = readLiveState(ctx.read, ctx.config, ctx.handover, ctx.now(), {
    ticketsAlsoAssignedTo: ctx.incoming.tracker,
  });
  const onCalls = readHolderOnCalls(ctx);
  live.catch(() => {});
  onCalls.catch(() => {});
  return { live, onCalls, statusCommit: readStatusCommit(ctx) };
}

/**
 * Step 7: on fresh live state, nothing is stranded — no open incident of the service and no pinned
 * ticket is still assigned to the outgoing admin. Each stranded item fails the run by name.
 * A dry run reports what would still be stranded after the handover (what the manifest omits).
 */
export async function verify(run: StepRun, reads: VerifyReads): Promise<void> {
  const { ctx } = run;
  let live: LiveState;
  try {
    live = await reads.live;
  } catch (error) {
    run.fail(`admin ${logValue(ctx.outgoing.handle)}`, 'verify', error, 'could not read live state');
    return;
  }
  const findings = findStranded(ctx.handover, ctx.config, live);
  for (const finding of findings) {
    if (finding.severity === 'error' && (finding.section === 'rollouts' || finding.section === 'sessions'))
      run.warn(`${finding.section} ${logValue(finding.target)}: ${finding.message}`);
  }
  const stranded = strandedItems(findings, live, ctx.outgoing, !ctx.dryRun);
  // Then "handover verified": the services asked who holds what, as a journal line and a commit status.
  await reportStranded(run, stranded);
  await verifyHolders(run, live, reads);
}

async function reportStranded(run: StepRun, stranded: Stranded[]): Promise<void> {
  const { ctx } = run;
  if (stranded.length === 0) {
    run.record(
      `admin ${logValue(ctx.outgoing.handle)}`,
      'verify',
      ctx.dryRun ? 'skipped' : 'done',
      `${ctx.dryRun ? 'dry run: nothing would be stranded' : 'nothing stranded'}: no open incident of ${logValue(ctx.config.pagerduty.serviceId)} and no pinned ticket is assigned to ${ctx.outgoing.handle}`,
    );
    return;
  }
  for (const item of stranded)
    run.failure(
      item.target,
      'verify',
      `${ctx.dryRun ? 'would be stranded' : 'stranded'}: ${item.detail}; hand it over by hand or in a new manifest`,
    );
}

/** What plan shows for step 7: the final check that nothing is left with the outgoing admin. */
export function planVerify({ handover, config }: PlanInput): PlannedItem[] {
  return [
    {
      section: 'verify',
      target: config.pagerduty.serviceId,
      actions: [
        `check no open incident in the service and no pinned ticket is still assigned to ${handover.outgoing}`,
      ],
      skipped: null,
    },
  ];
}
