import { listAllPages } from './pagerduty/pagination.js';
import { PagerDutyTransport, type PdRequest } from './pagerduty/transport.js';
import {
  array,
  object,
  readIncident,
  readLogEntry,
  readNote,
  readOnCall,
  readOverride,
  readUser,
} from './pagerduty/wire.js';
import type {
  PagerDutyProvider,
  PdIncident,
  PdNote,
  PdOnCall,
  PdOverride,
  ProviderSettings,
} from './types.js';
import { ProviderError } from './types.js';

const id = (value: string) => encodeURIComponent(value);

/**
 * PagerDuty through @pagerduty/pdjs: every call goes to `settings.baseUrl`, retried and bounded by
 * the settings, and fails as a ProviderError('pagerduty', call, object, …) that never carries the
 * token. Writes that act as a user send `From`; writes are never repeated once they may have
 * happened (see PagerDutyTransport.send).
 */
export function createPagerDutyProvider(settings: ProviderSettings): PagerDutyProvider {
  const transport = new PagerDutyTransport(settings);

  const incidentRequest = (incidentId: string, call: string): PdRequest => ({
    method: 'GET',
    path: `/incidents/${id(incidentId)}`,
    call,
    object: incidentId,
  });
  const readWrappedIncident = (data: unknown) => readIncident(object(data, 'answer').incident);
  const readNotes = (data: unknown) => array(object(data, 'answer').notes, 'notes').map(readNote);
  const readOverrides = (data: unknown) =>
    array(object(data, 'answer').overrides, 'overrides').map(readOverride);

  const overridesRequest = (scheduleId: string, since: string, until: string, call: string): PdRequest => ({
    method: 'GET',
    path: `/schedules/${id(scheduleId)}/overrides`,
    // overflow=true: each override with its real start and end, not cut at since/until.
    query: { since, until, overflow: 'true' },
    call,
    object: scheduleId,
  });

  /** Sets the incident's fields as the acting user; `done` says whether a lost attempt already did it. */
  const updateIncident = (
    incidentId: string,
    call: string,
    fields: Record<string, unknown>,
    fromEmail: string,
    done: (incident: PdIncident) => boolean,
  ): Promise<PdIncident> =>
    transport.send(
      {
        method: 'PUT',
        path: `/incidents/${id(incidentId)}`,
        body: { incident: { type: 'incident_reference', ...fields } },
        from: fromEmail,
        call,
        object: incidentId,
      },
      readWrappedIncident,
      async () => {
        const current = await transport.sendOnce(incidentRequest(incidentId, call), readWrappedIncident);
        return done(current) ? current : undefined;
      },
    );

  return {
    listIncidents: ({ serviceIds, statuses, userIds }) =>
      listAllPages(
        transport,
        {
          method: 'GET',
          path: '/incidents',
          query: {
            'service_ids[]': serviceIds,
            ...(statuses ? { 'statuses[]': statuses } : {}),
            ...(userIds ? { 'user_ids[]': userIds } : {}),
            // Without it PagerDuty lists only incidents created in the last month.
            date_range: 'all',
          },
          call: 'incidents.list',
        },
        'incidents',
        readIncident,
      ),

    getIncident: (incidentId) =>
      transport.send(incidentRequest(incidentId, 'incidents.get'), readWrappedIncident),

    reassignIncident: (incidentId, userId, fromEmail) =>
      updateIncident(
        incidentId,
        'incidents.reassign',
        { assignments: [{ assignee: { id: userId, type: 'user_reference' } }] },
        fromEmail,
        (incident) => incident.assigneeIds.length === 1 && incident.assigneeIds[0] === userId,
      ),

    acknowledgeIncident: (incidentId, fromEmail) =>
      updateIncident(
        incidentId,
        'incidents.acknowledge',
        { status: 'acknowledged' },
        fromEmail,
        (incident) => incident.status === 'acknowledged',
      ),

    /**
     * After a failure that may have written it anyway, a note with exactly this content is taken as
     * this one: handover's notes carry their own idempotency marker, so two never read the same.
     */
    addNote: (incidentId, content, fromEmail): Promise<PdNote> =>
      transport.send(
        {
          method: 'POST',
          path: `/incidents/${id(incidentId)}/notes`,
          body: { note: { content } },
          from: fromEmail,
          call: 'incidents.addNote',
          object: incidentId,
        },
        (data) => readNote(object(data, 'answer').note),
        async () => {
          const notes = await transport.sendOnce(
            {
              method: 'GET',
              path: `/incidents/${id(incidentId)}/notes`,
              call: 'incidents.addNote',
              object: incidentId,
            },
            readNotes,
          );
          return notes.find((note) => note.content === content);
        },
      ),

    /** Newest first, as PagerDuty lists them. */
    listNotes: (incidentId) =>
      transport.send(
        {
          method: 'GET',
          path: `/incidents/${id(incidentId)}/notes`,
          call: 'incidents.listNotes',
          object: incidentId,
        },
        readNotes,
      ),

    /** Newest first, as PagerDuty lists them. */
    listLogEntries: (incidentId) =>
      listAllPages(
        transport,
        {
          method: 'GET',
          path: `/incidents/${id(incidentId)}/log_entries`,
          call: 'incidents.listLogEntries',
          object: incidentId,
        },
        'log_entries',
        readLogEntry,
      ),

    createOverride: (scheduleId, override): Promise<PdOverride> => {
      const call = 'schedules.createOverride';
      const request: PdRequest = {
        method: 'POST',
        path: `/schedules/${id(scheduleId)}/overrides`,
        body: {
          overrides: [
            {
              start: override.start,
              end: override.end,
              user: { id: override.userId, type: 'user_reference' },
              time_zone: 'UTC',
            },
          ],
        },
        call,
        object: scheduleId,
      };
      const sameOverride = (found: PdOverride) =>
        found.userId === override.userId &&
        Date.parse(found.start) === Date.parse(override.start) &&
        Date.parse(found.end) === Date.parse(override.end);
      return transport.send(
        request,
        (data) => {
          // 201 with one result per requested override; ours can have failed inside it.
          const result = object(array(data, 'answer')[0], 'override result');
          const status = typeof result.status === 'number' ? result.status : 201;
          if (status < 200 || status >= 300) {
            const errors = Array.isArray(result.errors)
              ? result.errors.filter((e) => typeof e === 'string')
              : [];
            throw transport.error(
              request,
              'invalid',
              status,
              errors.join('; ') || 'the override was refused',
            );
          }
          return readOverride(result.override);
        },
        async () =>
          (
            await transport.sendOnce(
              overridesRequest(scheduleId, override.start, override.end, call),
              readOverrides,
            )
          ).find(sameOverride),
      );
    },

    listOverrides: (scheduleId, since, until) =>
      transport.send(overridesRequest(scheduleId, since, until, 'schedules.listOverrides'), readOverrides),

    listOnCalls: async (scheduleId, since, until) => {
      const oncalls = await listAllPages(
        transport,
        {
          method: 'GET',
          path: '/oncalls',
          query: { 'schedule_ids[]': [scheduleId], since, until },
          call: 'oncalls.list',
          object: scheduleId,
        },
        'oncalls',
        readOnCall,
      );
      return dedupeOnCalls(oncalls);
    },

    async writeRefusal(fromEmail) {
      try {
        await transport.send(
          {
            method: 'PUT',
            path: '/incidents',
            body: { incidents: [] },
            from: fromEmail,
            call: 'incidents.checkWriteAccess',
            object: fromEmail,
          },
          () => null,
        );
        return null;
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        if (error.status === 403) return error.detail;
        // The empty list itself is invalid input: that answer means the write would have been heard.
        // A `From` PagerDuty does not know is the one other refusal that stops every write.
        if (error.status === 400 && /from|requester/i.test(error.detail)) return error.detail;
        if (error.status === 400) return null;
        throw error;
      }
    },

    findUsers: (query) =>
      listAllPages(
        transport,
        { method: 'GET', path: '/users', query: { query }, call: 'users.find', object: query },
        'users',
        readUser,
      ),
  };
}

/**
 * A schedule paged at several escalation levels lists each shift once per level: keep one entry
 * per user and interval, at its lowest level, in time order.
 */
export function dedupeOnCalls(oncalls: PdOnCall[]): PdOnCall[] {
  const byShift = new Map<string, PdOnCall>();
  for (const oncall of oncalls) {
    const key = [oncall.userId, instant(oncall.start), instant(oncall.end)].join('\u0000');
    const known = byShift.get(key);
    if (!known || oncall.escalationLevel < known.escalationLevel) byShift.set(key, oncall);
  }
  return [...byShift.values()].sort(
    (a, b) =>
      (a.start === null ? -Infinity : Date.parse(a.start)) -
        (b.start === null ? -Infinity : Date.parse(b.start)) || a.escalationLevel - b.escalationLevel,
  );
}

/** The same instant can be written in several ways (`Z`, `+00:00`); null (permanent) stays null. */
function instant(value: string | null): number | null {
  return value === null ? null : Date.parse(value);
}
