import { invalid } from './errors.js';
import { parseAuditQuery } from './requests.js';
import type { Route } from './routes.js';
import { ok, paginate } from './wire.js';

export const auditRoutes: Route[] = [
  {
    method: 'GET',
    path: '/audit-log',
    handle: ({ req, state }) => {
      const query = parseAuditQuery(req.query);
      if (!query.ok) return invalid(query.message);
      const { action, actor, since } = query.value;
      const matching = state.audit
        .filter(
          (e) =>
            (action === undefined || e.action === action) &&
            (actor === undefined || e.actor === actor) &&
            (since === undefined || Date.parse(e.at) >= since),
        )
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      const page = paginate(matching, req.query, `audit ${action ?? ''} ${actor ?? ''} ${since ?? ''}`);
      return page.ok ? ok(page.value) : invalid(page.message);
    },
  },
];
