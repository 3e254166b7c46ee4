#!/usr/bin/env node
// The installed `handover` command (package.json "bin"). It runs one of the two CLI bundles that
// `npm ci` builds into lib/ (see scripts/build.mjs):
//   lib/validate.cjs  `handover validate` alone, CommonJS, compiled with a V8 code cache;
//   lib/cli.js        every command (ESM, code-split, so a command loads only what it uses).
// Why the first exists: validate runs on every pull request and in editors, and Node's ESM loader plus
// compiling the YAML parser from source cost as much again as the validation itself. CommonJS skips the
// ESM loader; the code cache skips parsing and compiling the functions a validation runs.
'use strict';

const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const LIB = join(__dirname, '..', 'lib');

/** The first line of a bundle that has a code cache: `// handover build <content hash>`. */
function buildId(source) {
  const end = source.indexOf('\n');
  return end > 0 ? source.slice(0, end) : '';
}

/**
 * The V8 code cache of a bundle, if there is one made for exactly this build. The cache file starts
 * with the bundle's build id line: V8 itself checks its version, its flags and the source's length
 * only, so a cache left over from another build of the same length must not reach it.
 */
function readCodeCache(cacheFile, source) {
  let bytes;
  try {
    bytes = readFileSync(cacheFile);
  } catch {
    return undefined; // no cache (not built yet, or removed): compile from source
  }
  const header = Buffer.from(`${buildId(source)}\n`);
  if (header.length < 2 || !bytes.subarray(0, header.length).equals(header)) return undefined;
  return bytes.subarray(header.length);
}

/**
 * Loads a CommonJS bundle as require() would, but compiled with its code cache (`FILE.cache`) when one
 * fits. The cache only ever saves time: when it is missing, stale or rejected by V8 (another Node
 * version), the bundle is compiled from source and runs the same. `{ codeCache: false }` always
 * compiles from source. Returns the module's exports, the compiled script and the bundle's build id
 * (scripts/validate-code-cache.mjs creates the cache from them).
 */
function loadBundle(file, { codeCache = true } = {}) {
  const source = readFileSync(file, 'utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData: codeCache ? readCodeCache(`${file}.cache`, source) : undefined,
  });
  const bundle = { exports: {} };
  script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dirname(file));
  return { exports: bundle.exports, script, buildId: buildId(source) };
}

/** Runs the CLI with these arguments and sets the exit code. */
function run(argv) {
  const loaded =
    argv[0] === 'validate'
      ? Promise.resolve().then(() => loadBundle(join(LIB, 'validate.cjs')).exports)
      : import('../lib/cli.js');
  loaded
    .then(({ main }) => main(argv))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error) => {
        // Only bugs reach here: user mistakes are reported as diagnostics with exit 1 or 2.
        console.error('handover: internal error:', error instanceof Error ? error.message : String(error));
        process.exitCode = 70;
      },
    );
}

module.exports = { loadBundle, run };

if (require.main === module) run(process.argv.slice(2));
