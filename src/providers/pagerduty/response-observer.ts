import http from 'node:http';
import https from 'node:https';

type AddRequest = (request: http.ClientRequest, options: unknown) => void;

/** A keep-alive pool for the PagerDuty base URL's protocol, shared by every request of one provider. */
export function connectionPool(baseUrl: string): http.Agent {
  return new URL(baseUrl).protocol === 'https:'
    ? new https.Agent({ keepAlive: true })
    : new http.Agent({ keepAlive: true });
}

/**
 * An agent for one request that shares `pool`'s connections and shows us the response head before
 * @pagerduty/pdjs sees it.
 *
 * Why: pdjs answers a 429 by waiting a fixed `retryTimeout` and sending again, three times, with no
 * option to turn that off; it ignores PagerDuty's `ratelimit-reset`. Our retry loop must own
 * retries, so the caller aborts the request from `onResponse` when it sees a 429: pdjs then
 * rejects at once with an AbortError instead of retrying, and the caller reports the 429 with the
 * server's delay. node-fetch (under pdjs) passes the agent to `http.request`, which hands every
 * request to `agent.addRequest`: the one place to attach a listener before node-fetch does.
 */
export function responseObservingAgent(
  pool: http.Agent,
  onResponse: (response: http.IncomingMessage) => void,
): http.Agent {
  const poolAddRequest = (pool as unknown as { addRequest: AddRequest }).addRequest.bind(pool);
  // Everything else (protocol, keep-alive settings, sockets) is read from the pool through the prototype.
  const agent = Object.create(pool) as http.Agent & { addRequest: AddRequest };
  agent.addRequest = (request, options) => {
    request.once('response', onResponse);
    poolAddRequest(request, options);
  };
  return agent;
}
