import { describe, expect, it } from 'vitest';
import { defaultWindow, roundUpToQuarterHour } from '../../src/init/window.js';

describe('init starts the window on the next quarter hour', () => {
  it.each([
    ['2026-11-26T15:00:00.000Z', '2026-11-26T15:00:00.000Z'],
    ['2026-11-26T15:00:00.001Z', '2026-11-26T15:15:00.000Z'],
    ['2026-11-26T15:07:30.000Z', '2026-11-26T15:15:00.000Z'],
    ['2026-11-26T15:45:01.000Z', '2026-11-26T16:00:00.000Z'],
    ['2026-11-26T23:59:59.000Z', '2026-11-27T00:00:00.000Z'],
  ])('%s → %s', (now, expected) => {
    expect(roundUpToQuarterHour(new Date(now)).toISOString()).toBe(expected);
  });
});

describe('the default window', () => {
  const now = new Date('2026-11-26T15:07:00Z');
  it.each([
    [
      'planned: two hours from the next quarter hour',
      { variant: 'planned' as const, hours: 2 },
      { start: '2026-11-26T15:15:00Z', end: '2026-11-26T17:15:00Z' },
    ],
    [
      '--hours 3',
      { variant: 'planned' as const, hours: 3 },
      { start: '2026-11-26T15:15:00Z', end: '2026-11-26T18:15:00Z' },
    ],
    [
      '--hours 2.5',
      { variant: 'weekly-rotation' as const, hours: 2.5 },
      { start: '2026-11-26T15:15:00Z', end: '2026-11-26T17:45:00Z' },
    ],
    [
      'emergency: no start, it means now',
      { variant: 'emergency' as const, hours: 2 },
      { end: '2026-11-26T17:15:00Z' },
    ],
    [
      'an explicit start',
      { variant: 'planned' as const, hours: 2, start: new Date('2026-11-27T09:00:00Z') },
      { start: '2026-11-27T09:00:00Z', end: '2026-11-27T11:00:00Z' },
    ],
    [
      'an explicit start and end',
      {
        variant: 'planned' as const,
        hours: 2,
        start: new Date('2026-11-27T09:00:00Z'),
        end: new Date('2026-11-27T13:30:00Z'),
      },
      { start: '2026-11-27T09:00:00Z', end: '2026-11-27T13:30:00Z' },
    ],
    [
      'an emergency with an explicit start keeps it',
      { variant: 'emergency' as const, hours: 2, start: new Date('2026-11-26T15:10:00Z') },
      { start: '2026-11-26T15:10:00Z', end: '2026-11-26T17:10:00Z' },
    ],
  ])('%s', (_name, request, expected) => {
    expect(defaultWindow({ now, ...request })).toEqual(expected);
  });
});
