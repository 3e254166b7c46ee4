import type { SandboxRequest, SandboxResponse } from '../types.js';
import { notFound } from './errors.js';
import { findUser } from './model.js';
import { isPageRequest, pageFields, paginate, readPageRequest } from './pagination.js';
import type { HandlerContext } from './requests.js';
import { userJson } from './wire.js';

/** GET /users?query=: users whose name or email contains the query (any case), by name, paginated. */
export function listUsers(ctx: HandlerContext, req: SandboxRequest): SandboxResponse {
  const page = readPageRequest(req.query);
  if (!isPageRequest(page)) return page;
  const query = (req.query.get('query') ?? '').trim().toLowerCase();
  const matching = ctx.state.users
    .filter((u) => !query || u.name.toLowerCase().includes(query) || u.email.toLowerCase().includes(query))
    .sort((a, b) => a.name.localeCompare(b.name));
  const result = paginate(matching, page);
  return {
    status: 200,
    body: { users: result.items.map((user) => userJson(ctx.links, user)), ...pageFields(result) },
  };
}

export function getUser(ctx: HandlerContext, id: string): SandboxResponse {
  const user = findUser(ctx.state, id);
  return user ? { status: 200, body: { user: userJson(ctx.links, user) } } : notFound();
}
