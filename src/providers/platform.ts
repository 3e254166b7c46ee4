import { PlatformClient } from './platform/client.js';
import {
  decodeAnnotation,
  decodeAuditEvent,
  decodeRollout,
  decodeSession,
  decodeTicket,
  decodeTicketComment,
} from './platform/decode.js';
import type { PlatformProvider, ProviderSettings } from './types.js';

export { isSessionNotOpen, PlatformApiError } from './platform/errors.js';

const segment = encodeURIComponent;

/**
 * The platform admin API (docs/design.md#the-platform-admin-api, schemas/platform-api.openapi.yaml) over global fetch.
 *
 * Failures are PlatformApiError (a ProviderError with the API's `code`). In particular
 * `endImpersonationSession` on a session that is already ended throws kind 'invalid', status 409,
 * code 'session_not_open' (test it with `isSessionNotOpen`): the API has no way to read one session back
 * by id, and the caller, which knows whose session it was, treats it as already done.
 */
export function createPlatformProvider(settings: ProviderSettings): PlatformProvider {
  const client = new PlatformClient(settings);

  return {
    listTickets: ({ assignee, pinned }) =>
      client.listAll(
        {
          call: 'tickets.list',
          method: 'GET',
          path: '/tickets',
          query: { assignee, pinned: pinned === undefined ? undefined : String(pinned) },
        },
        (json) => decodeTicket(json),
      ),

    getTicket: (id) =>
      client.request(
        { call: 'tickets.get', object: id, method: 'GET', path: `/tickets/${segment(id)}` },
        (json) => decodeTicket(json),
      ),

    updateTicket: (id, patch) =>
      client.request(
        {
          call: 'tickets.update',
          object: id,
          method: 'PATCH',
          path: `/tickets/${segment(id)}`,
          body: {
            ...(patch.assignee !== undefined ? { assignee: patch.assignee } : {}),
            ...(patch.labels !== undefined ? { labels: patch.labels } : {}),
          },
        },
        (json) => decodeTicket(json),
      ),

    addTicketLink: (id, link) =>
      client.request(
        {
          call: 'tickets.link',
          object: id,
          method: 'POST',
          path: `/tickets/${segment(id)}/links`,
          body: { url: link.url, kind: link.kind },
        },
        (json) => decodeTicket(json),
      ),

    listTicketComments: (id) =>
      client.listAll(
        { call: 'tickets.comments', object: id, method: 'GET', path: `/tickets/${segment(id)}/comments` },
        decodeTicketComment,
      ),

    listImpersonationSessions: ({ admin, status }) =>
      client.listAll(
        {
          call: 'impersonation.list',
          method: 'GET',
          path: '/impersonation-sessions',
          query: { admin, status },
        },
        (json) => decodeSession(json),
      ),

    endImpersonationSession: (id) =>
      client.request(
        {
          call: 'impersonation.end',
          object: id,
          method: 'POST',
          path: `/impersonation-sessions/${segment(id)}/end`,
        },
        (json) => decodeSession(json),
      ),

    listRollouts: async (states) =>
      // No state asked for, none wanted: an empty filter must not turn into "every rollout".
      states.length === 0
        ? []
        : client.listAll(
            {
              call: 'rollouts.list',
              method: 'GET',
              path: '/rollouts',
              query: { state: [...new Set(states)].join(',') },
            },
            decodeRollout,
          ),

    annotateRollout: (flag, annotation) =>
      client.request(
        {
          call: 'rollouts.annotate',
          object: flag,
          method: 'POST',
          // Annotations append: a retry after a 500 could add a second one.
          idempotent: false,
          path: `/rollouts/${segment(flag)}/annotations`,
          body: {
            rampPercent: annotation.rampPercent,
            lastErrorRatePercent: annotation.lastErrorRatePercent,
            nextStep: annotation.nextStep,
            author: annotation.author,
          },
        },
        (json) => decodeAnnotation(json),
      ),

    setAnnotationOwner: (flag, owner) =>
      client.request(
        {
          call: 'rollouts.setOwner',
          object: flag,
          method: 'PUT',
          path: `/rollouts/${segment(flag)}/annotation-owner`,
          body: { owner },
        },
        (json) => decodeRollout(json),
      ),

    // A documented read (one ticket of the list, nobody's in particular) whose answer names the token's
    // scopes in `X-Token-Scopes`; a platform without scoped tokens leaves the header out: null.
    tokenScopes: () =>
      client.request(
        { call: 'token.scopes', method: 'GET', path: '/tickets', query: { limit: '1' } },
        (_json, headers) => {
          const named = headers.get('x-token-scopes');
          return named === null ? null : named.split(/[\s,]+/).filter((scope) => scope !== '');
        },
      ),

    listAuditEvents: ({ action, actor, since }) =>
      client.listAll(
        { call: 'audit.list', method: 'GET', path: '/audit-log', query: { action, actor, since } },
        decodeAuditEvent,
      ),
  };
}
