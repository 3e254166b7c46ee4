import type { EmulatorContext, SandboxRequest, SandboxResponse } from '../types.js';
import type { PlatformState } from './model.js';

/** What a route handler gets: the request, its path parameters, and the world it may read and change. */
export interface RouteContext {
  req: SandboxRequest;
  params: Record<string, string>;
  state: PlatformState;
  ctx: EmulatorContext;
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  /** Below `/api/v1`, with `:name` segments: `/tickets/:id/links`. */
  path: string;
  handle(route: RouteContext): SandboxResponse;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  /** The path exists, but not with this method. */
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const segments = path.split('/');
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path.split('/'), segments);
    if (!params) continue;
    if (route.method === method) return { kind: 'found', route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
}

function matchPath(template: string[], segments: string[]): Record<string, string> | null {
  if (template.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of template.entries()) {
    const segment = segments[index]!;
    if (part.startsWith(':')) {
      if (segment === '') return null;
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return null;
      }
    } else if (part !== segment) return null;
  }
  return params;
}
