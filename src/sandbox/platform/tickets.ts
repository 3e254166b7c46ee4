import { invalid, notFound } from './errors.js';
import type { TicketRecord } from './model.js';
import { parsePageQuery, parseTicketLink, parseTicketPatch, parseTicketQuery } from './requests.js';
import type { Route, RouteContext } from './routes.js';
import { unknownUser } from './users.js';
import { ok, paginate } from './wire.js';

export function byTicketId(a: TicketRecord, b: TicketRecord): number {
  return a.id.localeCompare(b.id, 'en', { numeric: true });
}

function findTicket({ state, params }: RouteContext): TicketRecord | undefined {
  return state.tickets.find((t) => t.id === params.id);
}

const noSuchTicket = (id: string | undefined) => notFound(`no ticket '${id}'`);

export const ticketRoutes: Route[] = [
  {
    method: 'GET',
    path: '/tickets',
    handle: ({ req, state }) => {
      const query = parseTicketQuery(req.query);
      if (!query.ok) return invalid(query.message);
      const { assignee, pinned } = query.value;
      const matching = state.tickets
        .filter((t) => assignee === undefined || t.assignee === assignee)
        .filter((t) => pinned === undefined || t.pinned === pinned)
        .sort(byTicketId);
      const page = paginate(matching, req.query, `tickets ${assignee ?? ''} ${pinned ?? ''}`);
      return page.ok ? ok(page.value) : invalid(page.message);
    },
  },
  {
    method: 'GET',
    path: '/tickets/:id',
    handle: (route) => {
      const ticket = findTicket(route);
      return ticket ? ok(ticket) : noSuchTicket(route.params.id);
    },
  },
  {
    method: 'PATCH',
    path: '/tickets/:id',
    handle: (route) => {
      const ticket = findTicket(route);
      if (!ticket) return noSuchTicket(route.params.id);
      const patch = parseTicketPatch(route.req.body);
      if (!patch.ok) return invalid(patch.message);
      const { assignee, labels } = patch.value;
      if (assignee !== undefined) {
        const refusal = unknownUser(route.state, 'assignee', assignee);
        if (refusal) return refusal;
      }
      let changed = false;
      if (assignee !== undefined && ticket.assignee !== assignee) {
        ticket.assignee = assignee;
        changed = true;
      }
      if (labels !== undefined && !sameSet(ticket.labels, labels)) {
        ticket.labels = [...labels];
        changed = true;
      }
      if (changed) ticket.updatedAt = route.ctx.now().toISOString();
      return ok(ticket);
    },
  },
  {
    method: 'POST',
    path: '/tickets/:id/links',
    handle: (route) => {
      const ticket = findTicket(route);
      if (!ticket) return noSuchTicket(route.params.id);
      const link = parseTicketLink(route.req.body);
      if (!link.ok) return invalid(link.message);
      if (ticket.links.some((l) => l.url === link.value.url && l.kind === link.value.kind)) return ok(ticket);
      ticket.links.push(link.value);
      ticket.updatedAt = route.ctx.now().toISOString();
      return ok(ticket, 201);
    },
  },
  {
    method: 'GET',
    path: '/tickets/:id/comments',
    handle: (route) => {
      if (!findTicket(route)) return noSuchTicket(route.params.id);
      const query = parsePageQuery(route.req.query);
      if (!query.ok) return invalid(query.message);
      const comments = route.state.comments
        .filter((c) => c.ticketId === route.params.id)
        .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))
        .map(({ ticketId: _ticket, ...comment }) => comment);
      const page = paginate(comments, route.req.query, `comments ${route.params.id}`);
      return page.ok ? ok(page.value) : invalid(page.message);
    },
  },
];

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
