import type { Handover } from '../../src/manifest/types.js';

/**
 * Who, when and why of the seed handover most tests use: alice hands over to bob on her planned
 * rotation, in the two hours after 16:00 UTC on Thursday 26 November 2026. Spread it into a manifest,
 * a draft request or a builder and add what the test is about. Frozen, window included, because the
 * spread copies are shallow: a test that changed one would change them all.
 */
export const ALICE_TO_BOB: Readonly<
  Pick<Handover, 'id' | 'variant' | 'reason' | 'outgoing' | 'incoming' | 'window'>
> = Object.freeze({
  id: '2026-11-26-alice-to-bob',
  variant: 'planned',
  reason: 'rotation',
  outgoing: 'alice',
  incoming: 'bob',
  window: Object.freeze({ start: '2026-11-26T16:00:00Z', end: '2026-11-26T18:00:00Z' }),
});
