#!/usr/bin/env node
// The CLI as an ES module, for scripts and tests that run `node bin/handover.js`: the same command as
// the installed one, bin/handover.cjs (which package.json "bin" names because CommonJS starts faster).
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./handover.cjs').run(process.argv.slice(2));
