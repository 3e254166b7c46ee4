import type { Handover } from '../manifest/types.js';
import { type PdIncident, ProviderError } from '../providers/types.js';
import { logValue } from '../render/log-safety.js';
import type { PlanFinding } from './plan/finding.js';
import type { StepRun } from './runtime/step-run.js';

/**
 * An incident named by its number (`12345`) rather than its id (`Q1ABCDEF12345`). PagerDuty accepts a
 * number in GET /incidents/{id} and answers with the incident, but its writes (notes, the bulk update)
 * take ids, and apply recognises an incident — in the open list, in its notes' markers, on a re-run — by
 * id. So a manifest that names an incident by number is refused, by plan on the pull request and by apply
 * before its first write, with the id to write instead (docs/plan.md#incidents-named-by-number).
 */

/** Where in the manifest each PagerDuty incident is named, with the id it gives. */
function namedIncidents(handover: Handover): { path: string; id: string }[] {
  const named = handover.incidents.map((incident, index) => ({
    path: `incidents[${index}].id`,
    id: incident.id,
  }));
  if (handover.variant === 'mid-shift-outage' && handover.outage)
    named.push({ path: 'outage.incident', id: handover.outage.incident });
  return named;
}

/** What to tell the admin: the manifest field, the number, and the id to write. */
export function byNumberMessage(path: string, given: string, incident: PdIncident): string {
  return `${path}: ${given} is the number of incident ${incident.id} ("${incident.title}"), not its id: write \`${incident.id}\` — PagerDuty's writes and apply's re-runs know incidents only by id`;
}

/** Plan's finding for each listed incident PagerDuty found by its number (the live state read it). */
export function incidentNumberFindings(
  handover: Handover,
  found: ReadonlyMap<string, PdIncident | null>,
  outage?: PdIncident | null,
): PlanFinding[] {
  const findings: PlanFinding[] = [];
  for (const { path, id } of namedIncidents(handover)) {
    const incident = path === 'outage.incident' ? (outage ?? null) : (found.get(id) ?? null);
    if (incident === null || incident.id === id) continue;
    findings.push({
      severity: 'error',
      section: path === 'outage.incident' ? 'outage' : 'incidents',
      target: id,
      rule: 'incident.by-number',
      message: byNumberMessage(path, id, incident),
    });
  }
  return findings;
}

/** Only all-digit names can be numbers: PagerDuty ids carry letters, so they cost no extra read. */
const NUMBER = /^\d+$/;

/**
 * Step 0e of apply, before anything is written: refuses every incident the manifest names by number.
 * Returns false (nothing written) when there is one; an id PagerDuty does not know is left to the steps.
 */
export async function incidentNumberCheck(run: StepRun): Promise<boolean> {
  const { ctx } = run;
  let refused = 0;
  for (const { path, id } of namedIncidents(ctx.handover)) {
    if (!NUMBER.test(id)) continue;
    const target = `incident ${logValue(id)}`;
    try {
      const incident = await ctx.read.pagerduty.getIncident(id);
      if (incident.id === id) continue;
      run.failure(target, 'check incident ids', byNumberMessage(path, id, incident));
      refused += 1;
    } catch (error) {
      if (error instanceof ProviderError && error.kind === 'not-found') continue;
      run.fail(target, 'check incident ids', error);
      refused += 1;
    }
  }
  if (refused > 0)
    run.info('nothing was written: write incidents by id in the manifest, then merge the fix and re-run');
  return refused === 0;
}
