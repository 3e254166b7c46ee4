import type { IncomingHttpHeaders } from 'node:http';
import type { ServiceName } from '../providers/types.js';

/** One HTTP request as an emulator sees it, below its service prefix. */
export interface SandboxRequest {
  method: string;
  /**
   * The path below the service prefix, as the real service would see it:
   * `/incidents/Q1/notes` (PagerDuty), `/chat.postMessage` (Slack, below `/api`),
   * `/repos/o/r/pulls/1` (GitHub), `/tickets` (platform, below `/api/v1`).
   */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** JSON for application/json, a record of strings for form-encoded bodies, undefined when empty. */
  body: unknown;
  rawBody: string;
  /** Absolute base URL of this service on this sandbox (what the client was given): for Link headers. */
  baseUrl: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON; undefined → empty body. */
  body?: unknown;
}

/** Shared by every emulator of one sandbox: the clock and id generation, so state is reproducible. */
export interface EmulatorContext {
  now(): Date;
  /** A new id with the given prefix, unique within the sandbox: `nextId('Q')` → `Q000000000001A`-like. */
  nextId(prefix: string): string;
}

export interface ServiceEmulator {
  readonly service: ServiceName;
  /** The real service's answer to missing or wrong credentials, or null when the request may proceed. */
  authenticate(req: SandboxRequest): SandboxResponse | null;
  handle(req: SandboxRequest): SandboxResponse | Promise<SandboxResponse>;
  /** Whether the request would change state: "fail the Nth mutation" counts these. */
  isMutation(req: SandboxRequest): boolean;
  /** The real service's rate-limit answer (status 429 with its own headers and error body). */
  rateLimited(retryAfterSeconds: number): SandboxResponse;
  /** The real service's answer to an internal error. */
  serverError(): SandboxResponse;
  /** Loads the seed world (SEED_ADMINS / SEED_IDS in roster.ts); called once on a fresh sandbox. */
  seed(): void;
  /** The whole state as plain JSON, and back: for `--state FILE` and for tests. */
  snapshot(): unknown;
  restore(state: unknown): void;
}

export interface ServiceFaults {
  /** Added before every answer of this service (benchmarks). */
  latencyMs?: number;
  /** Requests allowed per window per token before 429 + Retry-After. */
  rateLimit?: { requests: number; windowMs: number };
  /** Fraction (0–1) of requests answered with the service's 5xx, drawn from a seeded generator. */
  errorRate?: number;
  /** The next N requests of this service are answered 429 (Retry-After: 1). */
  rateLimitNext?: number;
  /** The next N requests of this service are answered 5xx. */
  serverErrorNext?: number;
  /**
   * The next N requests of this service are answered with its 5xx, and the error body echoes the
   * request's credentials — as sent, base64, base64url and URL-encoded — as a misconfigured proxy or a
   * debugging endpoint might. Proves that no form of a token reaches anything a person reads.
   */
  echoCredentialsNext?: number;
}

export interface FaultSettings {
  pagerduty?: ServiceFaults;
  slack?: ServiceFaults;
  github?: ServiceFaults;
  platform?: ServiceFaults;
  /**
   * Fail the Nth mutating request (1-based, counted across all services from when this is set).
   * `before`: answer 500 without changing anything. `after`: apply the change, then answer 500
   * (the client never learns it happened: the hardest case for idempotency).
   */
  failMutation?: { nth: number; mode: 'before' | 'after' };
  /**
   * Hold the Nth mutating request (1-based, counted like `failMutation`): `before` leaves the world
   * unchanged, `after` applies the change; either way the sandbox then answers nothing at all — that
   * request and every request after it wait — until `FaultController.release()` or `drop()`, a new
   * `set()`, or close. The world stands still at an exact point, so a test can kill its client there
   * (`FaultController.whenHeld()` says when). Released, `before` answers the service's 5xx (nothing
   * changed) and `after` the real answer.
   */
  holdMutation?: { nth: number; mode: 'before' | 'after' };
  /** Seed for errorRate draws. */
  seed?: number;
}

export interface RecordedRequest {
  service: ServiceName;
  method: string;
  path: string;
  query: string;
  /** Headers with `authorization` redacted. */
  headers: Record<string, string>;
  body: unknown;
  status: number;
  mutation: boolean;
  /**
   * What the sandbox did to the request: answered normally, or which fault it injected. A held request
   * (`held-before` / `held-after`) is recorded when it is held, with the status it is answered if released.
   */
  fault:
    | 'none'
    | 'rate-limited'
    | 'server-error'
    | 'fail-before'
    | 'fail-after'
    | 'held-before'
    | 'held-after'
    | 'unauthenticated';
}

/** The mutation the sandbox holds (`FaultSettings.holdMutation`), as `FaultController.whenHeld()` reports it. */
export interface HeldMutation {
  service: ServiceName;
  method: string;
  /** Below the service prefix, as in `SandboxRequest.path`. */
  path: string;
  nth: number;
  mode: 'before' | 'after';
}
