import type { HandoverConfig, RosterEntry } from '../config/types.js';

/**
 * The roster answers "who is this?" for every service's own identifier. Pure lookups over the config;
 * the manifest validator has already checked that the manifest's handles are in the roster.
 */
export function rosterEntry(config: HandoverConfig, handle: string): RosterEntry | undefined {
  return Object.hasOwn(config.roster, handle) ? config.roster[handle] : undefined;
}

export function handleForPagerDutyUser(config: HandoverConfig, userId: string): string | undefined {
  return Object.entries(config.roster).find(([, entry]) => entry.pagerduty === userId)?.[0];
}

/** GitHub logins are case-insensitive. */
export function sameLogin(a: string | null | undefined, b: string | null | undefined): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}

export function handleForGitHubLogin(config: HandoverConfig, login: string): string | undefined {
  return Object.entries(config.roster).find(([, entry]) => sameLogin(entry.github, login))?.[0];
}

/** "bob (bob-nv)": a person as a GitHub reviewer recognises them. */
export function describeGitHubPerson(config: HandoverConfig, handle: string): string {
  const login = rosterEntry(config, handle)?.github;
  return login && login !== handle ? `${handle} (${login})` : handle;
}

/** "PUSR003" → "dana" when the roster knows the PagerDuty user, else the id itself. */
export function nameForPagerDutyUser(config: HandoverConfig, userId: string): string {
  return handleForPagerDutyUser(config, userId) ?? userId;
}
