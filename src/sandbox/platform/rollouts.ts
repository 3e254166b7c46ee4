import { invalid, notFound } from './errors.js';
import type { AnnotationRecord, RolloutRecord } from './model.js';
import { parseAnnotation, parseOwner, parseRolloutQuery } from './requests.js';
import type { Route, RouteContext } from './routes.js';
import { unknownUser } from './users.js';
import { ok, paginate } from './wire.js';

function findRollout({ state, params }: RouteContext): RolloutRecord | undefined {
  return state.rollouts.find((r) => r.flag === params.flag);
}

const noSuchRollout = (flag: string | undefined) => notFound(`no rollout of flag '${flag}'`);

export const rolloutRoutes: Route[] = [
  {
    method: 'GET',
    path: '/rollouts',
    handle: ({ req, state }) => {
      const states = parseRolloutQuery(req.query);
      if (!states.ok) return invalid(states.message);
      const matching = state.rollouts
        .filter((r) => states.value === undefined || states.value.includes(r.state))
        .sort((a, b) => a.flag.localeCompare(b.flag));
      const page = paginate(matching, req.query, `rollouts ${[...(states.value ?? [])].sort().join(',')}`);
      return page.ok ? ok(page.value) : invalid(page.message);
    },
  },
  {
    method: 'POST',
    path: '/rollouts/:flag/annotations',
    handle: (route) => {
      const rollout = findRollout(route);
      if (!rollout) return noSuchRollout(route.params.flag);
      const input = parseAnnotation(route.req.body);
      if (!input.ok) return invalid(input.message);
      const refusal = unknownUser(route.state, 'author', input.value.author);
      if (refusal) return refusal;
      const annotation: AnnotationRecord = {
        id: route.ctx.nextId('ann_'),
        ...input.value,
        createdAt: route.ctx.now().toISOString(),
      };
      rollout.annotations.push(annotation);
      return ok(annotation, 201);
    },
  },
  {
    method: 'PUT',
    path: '/rollouts/:flag/annotation-owner',
    handle: (route) => {
      const rollout = findRollout(route);
      if (!rollout) return noSuchRollout(route.params.flag);
      const owner = parseOwner(route.req.body);
      if (!owner.ok) return invalid(owner.message);
      const refusal = unknownUser(route.state, 'owner', owner.value);
      if (refusal) return refusal;
      rollout.owner = owner.value;
      return ok(rollout);
    },
  },
];
