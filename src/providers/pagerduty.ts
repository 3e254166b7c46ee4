import { listAllPages } from './pagerduty/pagination.js';
import { PagerDutyTransport, type PdRequest, pagerDutyErrors } from './pagerduty/transport.js';
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
import {
  type PagerDutyProvider,
  PD_BULK_UPDATE_MAX,
  type PdIncident,
  type PdIncidentUpdate,
  type PdNote,
  type PdOnCall,
  type PdOverride,
  ProviderError,
  type ProviderSettings,
} from './types.js';

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
    listIncidents: ({ serviceIds, statuses, userIds }, options = {}) =>
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
            // Said, not assumed: the oldest come first (step 2 reads the log from the first page's
            // oldest), and the offsets page through one stable order.
            sort_by: 'created_at:asc',
          },
          call: 'incidents.list',
        },
        'incidents',
        readIncident,
        options.onFirstPage ? { onFirstPage: options.onFirstPage } : {},
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
     * One PUT /incidents for up to 250 incidents. PagerDuty answers 200 only when every update
     * succeeded; otherwise nothing changed and its error lists the refused incidents by id, which
     * `bulkRefusals` reads. After an answer that leaves the outcome unknown, the incidents are read
     * back (one list call for the lot) and the update counts as done when every one of them shows it.
     */
    updateIncidents: async (updates: readonly PdIncidentUpdate[], fromEmail): Promise<PdIncident[]> => {
      if (updates.length === 0) return [];
      if (updates.length > PD_BULK_UPDATE_MAX) {
        throw new ProviderError(
          'pagerduty',
          'incidents.bulkUpdate',
          undefined,
          'invalid',
          undefined,
          `at most ${PD_BULK_UPDATE_MAX} incidents per request, not ${updates.length}`,
        );
      }
      const request: PdRequest = {
        method: 'PUT',
        path: '/incidents',
        body: {
          incidents: updates.map((update) => ({
            id: update.id,
            type: 'incident_reference',
            ...(update.assigneeId
              ? { assignments: [{ assignee: { id: update.assigneeId, type: 'user_reference' } }] }
              : {}),
            ...(update.status ? { status: update.status } : {}),
          })),
        },
        from: fromEmail,
        call: 'incidents.bulkUpdate',
        object: updates.length === 1 ? updates[0]!.id : `${updates.length} incidents`,
      };
      const shows = (incident: PdIncident, update: PdIncidentUpdate) =>
        (update.assigneeId === undefined ||
          (incident.assigneeIds.length === 1 && incident.assigneeIds[0] === update.assigneeId)) &&
        (update.status === undefined || incident.status === update.status);
      const readIncidents = (data: unknown) =>
        array(object(data, 'answer').incidents, 'incidents').map(readIncident);
      return transport.send(request, readIncidents, async () => {
        // A couple of incidents are read one by one; a larger batch in the open list's few pages.
        const now = new Map<string, PdIncident>();
        if (updates.length <= 2) {
          for (const u of updates)
            now.set(u.id, await transport.sendOnce(incidentRequest(u.id, request.call), readWrappedIncident));
        } else {
          const wanted = new Set(updates.map((u) => u.id));
          const listed = await listAllPages(
            transport,
            {
              method: 'GET',
              path: '/incidents',
              query: { 'statuses[]': ['triggered', 'acknowledged'], date_range: 'all' },
              call: request.call,
            },
            'incidents',
            readIncident,
          );
          for (const incident of listed) if (wanted.has(incident.id)) now.set(incident.id, incident);
        }
        const all = updates.map((u) => now.get(u.id));
        return all.every((incident, i) => incident !== undefined && shows(incident, updates[i]!))
          ? (all as PdIncident[])
          : undefined;
      });
    },

    listAccountLogEntries: (since, maxEntries, expectedEntries) =>
      listAllPages(
        transport,
        {
          method: 'GET',
          path: '/log_entries',
          // No `until`: PagerDuty's default is its own now, whatever our clock says.
          query: { since, is_overview: 'true' },
          call: 'logEntries.list',
        },
        'log_entries',
        readLogEntry,
        {
          maxItems: maxEntries,
          ...(expectedEntries !== undefined ? { expectedItems: expectedEntries } : {}),
        },
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
 * The incidents a refused bulk update named, with PagerDuty's reason for each (its error lists them
 * as `Incident <id>: <reason>`); empty when the refusal does not say which.
 */
export function bulkRefusals(error: ProviderError): Map<string, string> {
  const refused = new Map<string, string>();
  for (const line of pagerDutyErrors(error)) {
    const match = /^Incident (\S+?):\s*(.*)$/.exec(line);
    if (match) refused.set(match[1]!, match[2]!);
  }
  return refused;
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
