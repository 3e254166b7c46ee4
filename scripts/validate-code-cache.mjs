#!/usr/bin/env node
// Writes the V8 code cache of the `handover validate` bundle: `node scripts/validate-code-cache.mjs
// lib/validate.cjs` (scripts/build.mjs runs it in a fresh process after each build).
//
// The bundle is loaded exactly as bin/handover.cjs loads it, then validates the repository's example
// config and manifests (the default `handover validate`, output discarded), so the cache holds the
// compiled code of every function a typical validation runs, not just the top level. The cache starts
// with the bundle's build id line, which bin/handover.cjs checks before V8 sees the cache.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { loadBundle } = createRequire(import.meta.url)('../bin/handover.cjs');

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/validate-code-cache.mjs LIB/validate.cjs');
  process.exit(2);
}
const { exports, script, buildId } = loadBundle(file, { codeCache: false });
const discard = () => {};
await exports.main(['validate'], { stdout: discard, stderr: discard, env: {}, cwd: root, isTTY: false });
writeFileSync(`${file}.cache`, Buffer.concat([Buffer.from(`${buildId}\n`), script.createCachedData()]));
