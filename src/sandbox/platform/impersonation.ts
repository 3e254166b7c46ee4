import { invalid, notFound, platformError } from './errors.js';
import type { SessionRecord } from './model.js';
import { parseEndSessionBody, parseSessionQuery } from './requests.js';
import type { Route } from './routes.js';
import { ok, paginate } from './wire.js';

export const IMPERSONATION_ENDED = 'platform.impersonation_ended';

export function byStart(a: SessionRecord, b: SessionRecord): number {
  return Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.id.localeCompare(b.id);
}

export const impersonationRoutes: Route[] = [
  {
    method: 'GET',
    path: '/impersonation-sessions',
    handle: ({ req, state }) => {
      const query = parseSessionQuery(req.query);
      if (!query.ok) return invalid(query.message);
      const { admin, status } = query.value;
      const matching = state.sessions
        .filter((s) => s.admin === admin && (status === undefined || s.status === status))
        .sort(byStart);
      const page = paginate(matching, req.query, `sessions ${admin} ${status ?? ''}`);
      return page.ok ? ok(page.value) : invalid(page.message);
    },
  },
  {
    method: 'POST',
    path: '/impersonation-sessions/:id/end',
    handle: ({ req, params, state, ctx }) => {
      const session = state.sessions.find((s) => s.id === params.id);
      if (!session) return notFound(`no impersonation session '${params.id}'`);
      const body = parseEndSessionBody(req.body, req.rawBody);
      if (!body.ok) return invalid(body.message);
      if (session.status !== 'open') {
        return platformError(
          409,
          'session_not_open',
          `impersonation session '${session.id}' already ended at ${session.endedAt}`,
        );
      }
      const at = ctx.now().toISOString();
      session.status = 'ended';
      session.endedAt = at;
      // The audit event is about the human whose session it was, not about the automation that ended it.
      state.audit.push({
        id: ctx.nextId('aud_'),
        action: IMPERSONATION_ENDED,
        actor: session.admin,
        target: session.id,
        at,
      });
      return ok(session);
    },
  },
];
