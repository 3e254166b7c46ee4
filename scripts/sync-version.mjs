#!/usr/bin/env node
// Writes package.json's version into src/version.ts (what `handover --version` prints). Run by
// `npm run version-packages` after `changeset version` has bumped package.json, so that the CLI, the
// action bundle (dist/) and the package agree on the version at the release tag.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const file = join(root, 'src/version.ts');
const text = readFileSync(file, 'utf8');
const next = text.replace(/export const VERSION = '[^']*';/, `export const VERSION = '${version}';`);
if (!next.includes(`'${version}'`)) throw new Error(`src/version.ts has no VERSION constant to update`);
writeFileSync(file, next);
console.log(`src/version.ts: ${version}`);
