// The package's version, printed by `handover --version`. Written by scripts/sync-version.mjs from
// package.json when a release bumps it (`npm run version-packages`); test/package/version.test.ts keeps
// the two equal.
export const VERSION = '0.1.0';
