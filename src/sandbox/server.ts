import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceName } from '../providers/types.js';
import type { FaultController } from './faults.js';
import type { RecordedRequest, SandboxRequest, SandboxResponse, ServiceEmulator } from './types.js';

/** Where each service lives below the sandbox's root URL; the rest of the path is the real service's. */
export const SERVICE_PREFIX: Record<ServiceName, string> = {
  pagerduty: '/pagerduty',
  slack: '/slack/api',
  github: '/github',
  platform: '/platform/api/v1',
};

const MAX_BODY_BYTES = 5 * 1024 * 1024;
const MAX_RECORDED = 200_000;

export type AdminHandler = (
  method: string,
  path: string,
  body: unknown,
) => SandboxResponse | Promise<SandboxResponse>;

export interface SandboxServerOptions {
  host: string;
  port: number;
  emulators: Record<ServiceName, ServiceEmulator>;
  faults: FaultController;
  /** `/_sandbox/...` control endpoints. */
  admin: AdminHandler;
  /** Waits; replaced in tests of the server itself. */
  sleep?: (ms: number) => Promise<void>;
}

export class SandboxServer {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  private root = '';

  constructor(private readonly options: SandboxServerOptions) {}

  get url(): string {
    return this.root;
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        // A bug in an emulator: answer like an overloaded service rather than hang the client.
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `sandbox: ${(error as Error).message}` } }));
        } else res.destroy();
      });
    });
    // Idle connections stay open as the real services' do, so clients reuse them. Node's agents (and
    // undici) take the announced `Keep-Alive: timeout=N` less a second as their own idle limit and do
    // not keep a connection at all when that leaves nothing: at 1 s every request opened a connection.
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    this.root = `http://${this.options.host}:${address.port}`;
    return this.root;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    // A request held by holdMutation would otherwise wait forever for a release that cannot come.
    this.options.faults.drop();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  serviceUrl(service: ServiceName): string {
    return this.root + SERVICE_PREFIX[service];
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const rawBody = await readBody(req);
    if (rawBody === null)
      return send(res, { status: 413, body: { error: { message: 'Request body too large' } } });

    if (url.pathname.startsWith('/_sandbox/')) {
      const body = rawBody.trim() ? safeJson(rawBody) : undefined;
      if (rawBody.trim() && body === undefined) {
        return send(res, { status: 400, body: { error: { message: 'sandbox control bodies are JSON' } } });
      }
      return send(
        res,
        await this.options.admin(req.method ?? 'GET', url.pathname.slice('/_sandbox'.length), body),
      );
    }

    const service = (Object.keys(SERVICE_PREFIX) as ServiceName[]).find(
      (name) => url.pathname === SERVICE_PREFIX[name] || url.pathname.startsWith(`${SERVICE_PREFIX[name]}/`),
    );
    if (!service) return send(res, { status: 404, body: { message: 'Not Found' } });
    const emulator = this.options.emulators[service];
    const request: SandboxRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname.slice(SERVICE_PREFIX[service].length) || '/',
      query: url.searchParams,
      headers: req.headers,
      body: parseBody(req.headers['content-type'], rawBody),
      rawBody,
      baseUrl: this.serviceUrl(service),
    };

    const { faults } = this.options;
    const dropsBefore = faults.dropCount;
    const latency = faults.latencyMs(service);
    if (latency > 0) await (this.options.sleep ?? delay)(latency);
    // While a mutation is held, the world stands still: nothing is decided or answered. From the end of
    // this wait to the decision below there is no await, so no request can slip past a new hold.
    for (let ends = faults.joinStandStill(); ends; ends = faults.joinStandStill()) {
      if ((await ends) === 'drop') return abandon(res);
    }
    // Sent by a client whose stand-still was dropped while this was on its way: gone with it.
    if (faults.dropCount !== dropsBefore) return abandon(res);

    const record = (status: number, fault: RecordedRequest['fault'], mutation: boolean) => {
      if (this.requests.length >= MAX_RECORDED) this.requests.shift();
      this.requests.push({
        service,
        method: request.method,
        path: request.path,
        query: url.search,
        headers: redactHeaders(req.headers),
        body: request.body,
        status,
        mutation,
        fault,
      });
    };

    const unauthenticated = emulator.authenticate(request);
    if (unauthenticated) {
      record(unauthenticated.status, 'unauthenticated', false);
      return send(res, unauthenticated);
    }
    const mutation = emulator.isMutation(request);
    const token = String(req.headers.authorization ?? '');
    const decision = faults.decide(service, token, mutation);
    let response: SandboxResponse;
    switch (decision.kind) {
      case 'hold-before':
      case 'hold-after': {
        const after = decision.kind === 'hold-after';
        const answer = after ? await emulator.handle(request) : emulator.serverError();
        record(answer.status, after ? 'held-after' : 'held-before', mutation);
        const end = await faults.announceHeld({ service, method: request.method, path: request.path });
        if (end === 'drop') {
          // The client is gone: what else it sent and the sandbox has not read goes with it.
          this.server?.closeAllConnections();
          return abandon(res);
        }
        return send(res, answer);
      }
      case 'rate-limited':
        response = emulator.rateLimited(decision.retryAfterSeconds);
        break;
      case 'server-error':
      case 'fail-before':
        response = emulator.serverError();
        break;
      case 'echo-credentials':
        response = echoingCredentials(emulator.serverError(), token);
        break;
      case 'fail-after':
        await emulator.handle(request);
        response = emulator.serverError();
        break;
      default:
        response = await emulator.handle(request);
    }
    record(response.status, decision.kind === 'echo-credentials' ? 'server-error' : decision.kind, mutation);
    send(res, response);
  }
}

/** The service's error answer with the request's credentials echoed in every encoding a leak takes. */
function echoingCredentials(answer: SandboxResponse, authorization: string): SandboxResponse {
  const secret = authorization.replace(/^(Bearer|Token token=|token)\s*/i, '');
  const echo = {
    authorization,
    base64: Buffer.from(secret).toString('base64'),
    base64url: Buffer.from(secret).toString('base64url'),
    urlEncoded: encodeURIComponent(secret),
  };
  // Into the field each client turns into its error message (GitHub and Slack `message`/`error`, PagerDuty
  // and the platform `error.message`), so the echo reaches our error reports, not just the raw body.
  const text = ` (request credentials: ${Object.values(echo).join(' ')})`;
  const body = structuredClone((answer.body ?? {}) as Record<string, unknown>);
  const nested = body.error as Record<string, unknown> | undefined;
  if (typeof nested === 'object' && nested !== null && typeof nested.message === 'string')
    nested.message += text;
  else if (typeof body.message === 'string') body.message += text;
  else if (typeof body.error === 'string') body.error += text;
  else body.message = text.trim();
  body.debug = echo;
  return { ...answer, body };
}

/** Leaves a request unanswered for good: its connection closes, as a dead client's would. */
/** How long the sandbox keeps an idle connection open (Node's own default). */
const KEEP_ALIVE_MS = 5_000;

function abandon(res: ServerResponse): void {
  res.destroy();
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseBody(contentType: string | undefined, raw: string): unknown {
  if (!raw) return undefined;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(raw));
  // PagerDuty's client sends JSON with `application/json; charset=utf-8`; a body that is not JSON is
  // kept as undefined and the emulator answers 400 like the real service.
  return safeJson(raw);
}

function redactHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = name === 'authorization' ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function send(res: ServerResponse, response: SandboxResponse): void {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  let payload = '';
  if (response.body !== undefined) {
    payload = JSON.stringify(response.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json; charset=utf-8';
    }
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}
