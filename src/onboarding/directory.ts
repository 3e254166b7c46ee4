import { Octokit } from '@octokit/rest';
import { WebClient } from '@slack/web-api';
import { DEFAULT_URLS } from '../providers/index.js';
import { PagerDutyTransport } from '../providers/pagerduty/transport.js';
import { DEFAULT_RETRY } from '../providers/retry.js';
import { SILENT_LOGGER } from '../providers/slack.js';
import type { ProviderSettings, RetryPolicy } from '../providers/types.js';

/**
 * The read-only directory lookups `handover setup` and `handover doctor` need and the runbook does not:
 * PagerDuty services, schedules and users by id, Slack channels and users by email, the GitHub
 * repository and its pull requests. Through the same real clients as the providers, at the same URLs
 * (the environment's *_API_URL, else the public APIs); tokens only from the environment.
 */
export interface Named {
  id: string;
  name: string;
}

export interface PdScheduleInfo extends Named {
  userIds: string[];
}

export interface PdUserInfo extends Named {
  email: string;
}

/** A Slack Web API answer that was not `ok`: the error code (`missing_scope`, `channel_not_found`…). */
export class SlackRefusal extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    readonly needed?: string,
  ) {
    super(`Slack ${method}: ${code}${needed ? ` (needs ${needed})` : ''}`);
  }
}

type Json = Record<string, unknown>;
const record = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function pagerDutyDirectory(env: NodeJS.ProcessEnv, retry: Partial<RetryPolicy> = {}) {
  const settings: ProviderSettings = {
    baseUrl: env.PAGERDUTY_API_URL || DEFAULT_URLS.pagerduty,
    token: env.PAGERDUTY_TOKEN ?? '',
    retry: { ...DEFAULT_RETRY, ...retry },
    concurrency: 4,
  };
  const transport = new PagerDutyTransport(settings);
  const get = <T>(path: string, call: string, parse: (data: Json) => T, query?: Record<string, string>) =>
    transport.send({ method: 'GET', path, call, query }, (data) => parse(record(data)));

  /** Every page of a classic-paginated list. */
  async function all<T>(path: string, key: string, call: string, parse: (item: Json) => T): Promise<T[]> {
    const items: T[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await get(path, call, (data) => data, { limit: '100', offset: String(offset) });
      const list = Array.isArray(page[key]) ? (page[key] as unknown[]) : [];
      items.push(...list.map((item) => parse(record(item))));
      if (page.more !== true || list.length === 0) return items;
    }
  }
  const named = (item: Json): Named => ({ id: text(item.id), name: text(item.name) || text(item.summary) });
  const schedule = (item: Json): PdScheduleInfo => ({
    ...named(item),
    userIds: (Array.isArray(item.users) ? item.users : []).map((u) => text(record(u).id)).filter(Boolean),
  });
  const user = (item: Json): PdUserInfo => ({ ...named(item), email: text(item.email) });
  const id = encodeURIComponent;

  return {
    services: () => all('/services', 'services', 'services.list', named),
    schedules: () => all('/schedules', 'schedules', 'schedules.list', schedule),
    service: (serviceId: string) =>
      get(`/services/${id(serviceId)}`, 'services.get', (d) => named(record(d.service))),
    schedule: (scheduleId: string) =>
      get(`/schedules/${id(scheduleId)}`, 'schedules.get', (d) => schedule(record(d.schedule))),
    user: (userId: string) => get(`/users/${id(userId)}`, 'users.get', (d) => user(record(d.user))),
    /** The users whose email is exactly `email` (any case). */
    usersByEmail: async (email: string) => {
      const found = await get('/users', 'users.list', (d) => (Array.isArray(d.users) ? d.users : []), {
        query: email,
      });
      return found.map((u) => user(record(u))).filter((u) => u.email.toLowerCase() === email.toLowerCase());
    },
  };
}
export type PagerDutyDirectory = ReturnType<typeof pagerDutyDirectory>;

export function slackDirectory(env: NodeJS.ProcessEnv) {
  const base = env.SLACK_API_URL || DEFAULT_URLS.slack;
  const client = new WebClient(env.SLACK_BOT_TOKEN ?? '', {
    slackApiUrl: base.endsWith('/') ? base : `${base}/`,
    retryConfig: { retries: 2, minTimeout: 200, maxTimeout: 2_000 },
    logger: SILENT_LOGGER,
  });
  /** One call; a Slack error code becomes a SlackRefusal (the library throws its own for those). */
  const call = async (method: string, args: Json): Promise<Json> => {
    try {
      return record(await client.apiCall(method, args));
    } catch (error) {
      const data = record(record(error).data);
      if (typeof data.error === 'string')
        throw new SlackRefusal(method, data.error, typeof data.needed === 'string' ? data.needed : undefined);
      throw error;
    }
  };
  return {
    /** auth.test: who the token is, and its scopes (the `x-oauth-scopes` header). */
    whoAmI: async () => {
      const answer = await call('auth.test', {});
      const scopes = record(answer.response_metadata).scopes;
      return {
        userId: text(answer.user_id),
        scopes: Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [],
      };
    },
    channels: async (): Promise<Array<Named & { isMember: boolean }>> => {
      const channels: Array<Named & { isMember: boolean }> = [];
      let cursor = '';
      do {
        const page = await call('conversations.list', {
          types: 'public_channel',
          exclude_archived: true,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        });
        for (const c of Array.isArray(page.channels) ? page.channels : [])
          channels.push({
            id: text(record(c).id),
            name: text(record(c).name),
            isMember: record(c).is_member === true,
          });
        cursor = text(record(page.response_metadata).next_cursor);
      } while (cursor);
      return channels;
    },
    channel: async (channel: string) => {
      const answer = record((await call('conversations.info', { channel })).channel);
      return { id: text(answer.id), name: text(answer.name), isMember: answer.is_member === true };
    },
    /** users.lookupByEmail: the Slack id, or null when no user has that email. */
    userByEmail: async (email: string): Promise<string | null> => {
      try {
        return text(record((await call('users.lookupByEmail', { email })).user).id) || null;
      } catch (error) {
        if (error instanceof SlackRefusal && error.code === 'users_not_found') return null;
        throw error;
      }
    },
  };
}
export type SlackDirectory = ReturnType<typeof slackDirectory>;

export function gitHubDirectory(env: NodeJS.ProcessEnv) {
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const octokit = new Octokit({
    auth: env.GITHUB_TOKEN,
    baseUrl: (env.GITHUB_API_URL || DEFAULT_URLS.github).replace(/\/+$/, ''),
    userAgent: 'handover',
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  return {
    owner,
    repo,
    repository: async () => (await octokit.repos.get({ owner, repo })).data.full_name,
    pullRequests: async () =>
      (await octokit.pulls.list({ owner, repo, state: 'all', per_page: 1 })).data.length,
  };
}
export type GitHubDirectory = ReturnType<typeof gitHubDirectory>;
