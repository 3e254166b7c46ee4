import { errorMessage } from '../../format.js';
import { PAGINATION_WINDOW } from '../../providers/pagerduty/pagination.js';
import type { PagerDutyProvider, PdIncident, PdLogEntry } from '../../providers/types.js';
import { logValue } from '../../render/log-safety.js';

/** Tolerated disagreement between our clock and PagerDuty's. */
const CLOCK_SKEW_MS = 10 * 60_000;
/** What one page of the account's log holds, and so what reading one incident's notes costs in entries. */
const ENTRIES_PER_READ = 100;
/**
 * What the account's overview log usually shows of an open incident: its trigger, its assignment and
 * an acknowledgement. The pages that many entries fill are asked for at once (ListOptions.expectedItems);
 * the account's other activity makes the real log longer, rarely shorter.
 */
const OVERVIEW_ENTRIES_PER_INCIDENT = 3;

/**
 * The incidents whose notes must be read before writing ours, or null when every one must be.
 *
 * A note on an incident is written after the incident was created, and every note shows in the
 * account's log as an `annotate_log_entry` naming its incident (GET /log_entries; see docs/apply.md).
 * So one read of the log since the oldest of these incidents was created tells which of them carry
 * any note at all: a first run finds none and writes without reading, a run resumed after a crash
 * reads exactly the incidents that were annotated. The log is read only while that is cheaper than
 * reading each incident's notes (one page per incident); a longer log, or any failure to read it,
 * puts every incident in doubt, which is how apply behaved before and is always safe.
 */
export async function incidentsWithNotes(
  pagerduty: Pick<PagerDutyProvider, 'listAccountLogEntries'>,
  incidents: readonly PdIncident[],
  /** Told why every incident is in doubt when the log could not be read (apply says it in its log). */
  unread: (why: string) => void,
  /** The log read started before these incidents were all known (startLogRead), used if it reaches back far enough. */
  started?: LogRead,
): Promise<Set<string> | null> {
  if (incidents.length === 0) return new Set();
  const oldest = Math.min(...incidents.map((incident) => Date.parse(incident.createdAt)));
  if (!Number.isFinite(oldest)) return null;
  const maxEntries = entriesWorthReading(incidents.length);
  try {
    let entries =
      started && started.fromMs <= oldest
        ? await started.entries
        : await startLogRead(pagerduty, oldest, incidents.length).entries;
    // Read under a looser bound: as the bound for these incidents would, refuse a log longer than it.
    if (entries.length > maxEntries)
      entries = await startLogRead(pagerduty, oldest, incidents.length).entries;
    const ids = new Set(incidents.map((incident) => incident.id));
    const annotated = new Set<string>();
    for (const entry of entries) {
      if (entry.type !== 'annotate_log_entry') continue;
      // An entry that does not say its incident could be any of them.
      if (entry.incidentId === undefined) return null;
      if (ids.has(entry.incidentId)) annotated.add(entry.incidentId);
    }
    return annotated;
  } catch (error) {
    unread(
      `reading every incident's notes before writing (the account's log was not read: ${logValue(errorMessage(error))})`,
    );
    return null;
  }
}

/** The most log entries worth reading for `incidents` incidents, rather than each one's notes. */
function entriesWorthReading(incidents: number): number {
  return Math.min(PAGINATION_WINDOW, incidents * ENTRIES_PER_READ);
}

/** A read of the account's log since `fromMs` (less the clock skew), started ahead of its use. */
export interface LogRead {
  fromMs: number;
  entries: Promise<PdLogEntry[]>;
}

/**
 * Starts reading the account's log from the creation of the oldest incident `oldestMs`, for at most
 * `incidents` incidents. Step 2 starts it from the first page of the service's open incidents (oldest
 * first), beside the list's other pages; incidentsWithNotes uses it if it reaches back far enough.
 * The promise never rejects unhandled.
 */
export function startLogRead(
  pagerduty: Pick<PagerDutyProvider, 'listAccountLogEntries'>,
  oldestMs: number,
  incidents: number,
): LogRead {
  const since = new Date(oldestMs - CLOCK_SKEW_MS).toISOString();
  const entries = pagerduty.listAccountLogEntries(
    since,
    entriesWorthReading(incidents),
    incidents * OVERVIEW_ENTRIES_PER_INCIDENT,
  );
  entries.catch(() => {});
  return { fromMs: oldestMs, entries };
}
