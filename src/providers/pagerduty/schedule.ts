/**
 * What `handover prepare` reads and writes on PagerDuty beside the runbook's calls: the schedule's
 * final layer over a range (GET /schedules/{id}) and a page to one user through a service
 * (POST /incidents with `From`).
 */
import type { PdIncident, ProviderSettings } from '../types.js';
import { ProviderError } from '../types.js';
import { PagerDutyTransport } from './transport.js';
import { array, MalformedAnswer, object, readIncident } from './wire.js';

/** One entry of the final schedule: who is on call from `start` to `end` (ISO instants). */
export interface ScheduleEntry {
  userId: string;
  start: string;
  end: string;
}

export interface PagerDutyScheduleProvider {
  /** `final_schedule.rendered_schedule_entries` over [since, until], entries with their real bounds. */
  finalSchedule(scheduleId: string, since: string, until: string): Promise<ScheduleEntry[]>;
  /**
   * Opens an incident on the service assigned to `userId`, as `fromEmail`. With `incidentKey`, a
   * second page while the first is open is refused by PagerDuty: the answer is then `null`.
   */
  page(input: {
    serviceId: string;
    userId: string;
    title: string;
    details: string;
    incidentKey: string;
    fromEmail: string;
  }): Promise<PdIncident | null>;
}

function readEntry(value: unknown): ScheduleEntry {
  const entry = object(value, 'schedule entry');
  const user = object(entry.user, 'schedule entry user');
  if (typeof user.id !== 'string' || typeof entry.start !== 'string' || typeof entry.end !== 'string')
    throw new MalformedAnswer('schedule entry lacks user.id, start or end');
  return { userId: user.id, start: entry.start, end: entry.end };
}

export function createPagerDutyScheduleProvider(settings: ProviderSettings): PagerDutyScheduleProvider {
  const transport = new PagerDutyTransport(settings);
  return {
    finalSchedule: (scheduleId, since, until) =>
      transport.send(
        {
          method: 'GET',
          path: `/schedules/${encodeURIComponent(scheduleId)}`,
          // overflow=true: the shift that straddles `since` keeps its real start (when the change was).
          query: { since, until, overflow: 'true' },
          call: 'schedules.get',
          object: scheduleId,
        },
        (data) => {
          const schedule = object(object(data, 'answer').schedule, 'schedule');
          const final = object(schedule.final_schedule, 'final_schedule');
          return array(final.rendered_schedule_entries ?? [], 'rendered_schedule_entries').map(readEntry);
        },
      ),

    page: async (input) => {
      try {
        return await transport.send(
          {
            method: 'POST',
            path: '/incidents',
            from: input.fromEmail,
            body: {
              incident: {
                type: 'incident',
                title: `${input.title}: ${input.details}`.slice(0, 255),
                service: { id: input.serviceId, type: 'service_reference' },
                urgency: 'high',
                incident_key: input.incidentKey,
                // The details go into the title: the description types `body.details` as an object while
                // its own example sends a string; the title is unambiguous.
                assignments: [{ assignee: { id: input.userId, type: 'user_reference' } }],
              },
            },
            call: 'incidents.create',
            object: input.serviceId,
          },
          (data) => readIncident(object(data, 'answer').incident),
        );
      } catch (error) {
        // PagerDuty refuses an incident_key an open incident already has: this page was already sent.
        if (
          error instanceof ProviderError &&
          error.kind === 'invalid' &&
          /incident.?key|already exists/i.test(error.detail)
        )
          return null;
        throw error;
      }
    },
  };
}
