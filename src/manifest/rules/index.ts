import type { Diagnostic } from '../../diagnostics.js';
import { MAX_DIAGNOSTICS_PER_KIND } from '../yaml/limits.js';
import { noEscapedControlCharacters } from './characters.js';
import type { Rule, RuleContext } from './context.js';
import { idMatchesFile } from './identity.js';
import { rolloutNextStep } from './rollouts.js';
import { differentAdmins, knownHandles, outageLead } from './roster.js';
import { noCredentials } from './secrets.js';
import { incidentStatus } from './status.js';
import { ticketEngineeringIssue } from './tickets.js';
import { uniqueIncidents, uniqueRollouts, uniqueTickets } from './uniqueness.js';
import { variantBlocks } from './variant.js';
import { windowRules } from './window.js';

/** The rules of docs/design.md#the-manifest beyond the schema, in the order a reader meets the fields. */
export const MANIFEST_RULES: readonly Rule[] = [
  idMatchesFile,
  differentAdmins,
  knownHandles,
  variantBlocks,
  outageLead,
  windowRules,
  uniqueIncidents,
  incidentStatus,
  uniqueTickets,
  ticketEngineeringIssue,
  uniqueRollouts,
  rolloutNextStep,
];

/**
 * Rules for manifests and the config alike. They read the text itself or walk whatever was read, so
 * they run even when the YAML or the schema failed.
 */
export const COMMON_RULES: readonly Rule[] = [noCredentials, noEscapedControlCharacters];

/** Runs the rules; each reports at most MAX_DIAGNOSTICS_PER_KIND findings, so a report stays readable. */
export function runRules(rules: readonly Rule[], context: RuleContext): Diagnostic[] {
  return rules.flatMap((rule) => rule(context).slice(0, MAX_DIAGNOSTICS_PER_KIND));
}
