#!/usr/bin/env node
// The installed `handover` command: runs the CLI bundle that `npm ci` builds into lib/ (see scripts/build.mjs).
import { main } from '../lib/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // Only bugs reach here: user mistakes are reported as diagnostics with exit 1 or 2.
    console.error('handover: internal error:', error instanceof Error ? error.message : String(error));
    process.exitCode = 70;
  },
);
