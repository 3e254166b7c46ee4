import type { ServiceName } from '../../src/providers/types.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';
import type { RecordedRequest } from '../../src/sandbox/types.js';

/**
 * Thursday 26 November 2026, 15:00 UTC: the afternoon of the seed handover, in alice's week (from Monday
 * 23rd, 16:00 UTC) on the seed rotation.
 */
export const PINNED_NOW = new Date('2026-11-26T15:00:00Z');

/** A sandbox on a clock the test owns and moves by hand (or through `recordingRetry(…, clock)`). */
export async function startClockedSandbox(
  options: SandboxOptions = {},
): Promise<{ sandbox: Sandbox; clock: { now: Date } }> {
  const clock = { now: PINNED_NOW };
  const sandbox = await startSandbox({ now: () => clock.now, ...options });
  return { sandbox, clock };
}

/** The requests the sandbox recorded for one service, in the order they arrived. */
export function requestsTo(sandbox: Sandbox, service: ServiceName): RecordedRequest[] {
  return sandbox.requests.filter((r) => r.service === service);
}

/** Awaits a promise that must reject, and returns what it rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}
