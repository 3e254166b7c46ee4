import { describe, expect, it } from 'vitest';
import type { PdOnCall, PdOverride } from '../../src/providers/types.js';
import {
  decideFreeze,
  type FreezeDecision,
  type FreezeInputs,
} from '../../src/runbook/steps/freeze-coverage.js';

const BOB = 'PUSR002';
const DANA = 'PUSR003';
const window = { start: new Date('2026-11-26T16:00:00Z'), end: new Date('2026-11-26T18:00:00Z') };
const bobCovers: PdOverride = {
  id: 'POV1',
  userId: BOB,
  start: '2026-11-26T12:00:00Z',
  end: '2026-11-26T20:00:00Z',
};
const danaInside: PdOverride = {
  id: 'POV2',
  userId: DANA,
  start: '2026-11-26T16:30:00Z',
  end: '2026-11-26T17:00:00Z',
};
const danaOutside: PdOverride = {
  id: 'POV3',
  userId: DANA,
  start: '2026-11-26T18:00:00Z',
  end: '2026-11-26T19:00:00Z',
};
const onCall = (userId: string, start: string, end: string): PdOnCall => ({
  userId,
  start,
  end,
  escalationLevel: 1,
});
/** The final schedule when bob's override is the newest: bob throughout. */
const bobThroughout = [onCall(BOB, '2026-11-26T12:00:00Z', '2026-11-26T20:00:00Z')];
/** The final schedule when dana's override is the newer: dana takes 16:30–17:00. */
const danaTakesPart = [
  onCall(BOB, '2026-11-26T12:00:00Z', '2026-11-26T16:30:00Z'),
  onCall(DANA, '2026-11-26T16:30:00Z', '2026-11-26T17:00:00Z'),
  onCall(BOB, '2026-11-26T17:00:00Z', '2026-11-26T20:00:00Z'),
];

const cases: Array<{ name: string; inputs: Partial<FreezeInputs>; expected: FreezeDecision }> = [
  {
    name: 'no override and a planned handover: create one',
    inputs: {},
    expected: { kind: 'create', superseded: null, rotationGap: false },
  },
  {
    name: 'a covering override nobody else overlaps stands, without reading the schedule',
    inputs: { overrides: [bobCovers, danaOutside] },
    expected: { kind: 'override-stands', override: bobCovers },
  },
  {
    name: "a covering override another admin's override overlaps: the final schedule decides",
    inputs: { overrides: [bobCovers, danaInside] },
    expected: { kind: 'needs-on-calls' },
  },
  {
    name: "... and when the other admin's override is the newer, a new override is made",
    inputs: { overrides: [bobCovers, danaInside], onCalls: danaTakesPart },
    expected: { kind: 'create', superseded: bobCovers, rotationGap: false },
  },
  {
    name: '... and when it is the older, the covering override stands',
    inputs: { overrides: [bobCovers, danaInside], onCalls: bobThroughout },
    expected: { kind: 'override-stands', override: bobCovers },
  },
  {
    name: '... and when the schedule lists nobody at all, it cannot tell: the covering override stands',
    inputs: { overrides: [bobCovers, danaInside], onCalls: [] },
    expected: { kind: 'override-stands', override: bobCovers },
  },
  {
    name: 'weekly rotation: the schedule decides',
    inputs: { variant: 'weekly-rotation' },
    expected: { kind: 'needs-on-calls' },
  },
  {
    name: 'weekly rotation that covers the window: no override',
    inputs: {
      variant: 'weekly-rotation',
      onCalls: [onCall(BOB, '2026-11-26T16:00:00Z', '2026-12-03T16:00:00Z')],
    },
    expected: { kind: 'rotation-covers' },
  },
  {
    name: 'weekly rotation with a gap: create one',
    inputs: {
      variant: 'weekly-rotation',
      onCalls: [onCall(BOB, '2026-11-26T17:00:00Z', '2026-12-03T16:00:00Z')],
    },
    expected: { kind: 'create', superseded: null, rotationGap: true },
  },
];

describe('decideFreeze: the one decision plan reports and apply carries out', () => {
  it.each(cases)('$name', ({ inputs, expected }) => {
    expect(decideFreeze({ variant: 'planned', incoming: BOB, window, overrides: [], ...inputs })).toEqual(
      expected,
    );
  });
});
