import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_DOCS } from '../../src/cli/usage.js';
import {
  ACKNOWLEDGEMENT_RULES,
  PLAN_FINDINGS,
  PUSH_RULES,
  VALIDATION_RULES,
} from '../../src/rules/registry.js';
import { renderCommandsPage } from './commands-page.js';
import { renderRulesPage } from './rules-page.js';
import type { JsonSchema } from './schema-fields.js';
import { renderSchemaPage } from './schema-page.js';

/** Where the generated pages go, relative to the repository root. */
export const REFERENCE_DIR = 'docs/reference';

function readJson(root: string, path: string): JsonSchema {
  return JSON.parse(readFileSync(join(root, path), 'utf8')) as JsonSchema;
}

/**
 * Every reference page, by file name, as it should be committed. Reads the schemas below `root`; the rule
 * registry and the command list are imported code.
 */
export function generateReference(root: string): Map<string, string> {
  const manifestSchema = 'schemas/handover.schema.json';
  const configSchema = 'schemas/config.schema.json';
  return new Map([
    [
      'manifest.md',
      renderSchemaPage({
        schema: readJson(root, manifestSchema),
        schemaPath: manifestSchema,
        heading: 'Manifest reference: `handovers/<id>.yaml`',
        intro: [
          'One file per handover, added by one pull request; `id` is the file name without `.yaml`, and files',
          'may sit in sub-folders of `handovers/`. `handover validate` checks the schema below, then the rules',
          'in [rules.md](rules.md). `handover init` writes a draft from live state.',
        ].join(' '),
      }),
    ],
    [
      'config.md',
      renderSchemaPage({
        schema: readJson(root, configSchema),
        schemaPath: configSchema,
        heading: 'Config reference: `handover.config.yaml`',
        intro: [
          'The repository config, read from the working directory unless `--config PATH` says otherwise. It',
          'names the PagerDuty service and schedule, the Slack channel, the platform admin API and the roster.',
          'It holds no secret: tokens come from the environment only.',
        ].join(' '),
      }),
    ],
    [
      'rules.md',
      renderRulesPage({
        validation: VALIDATION_RULES,
        findings: PLAN_FINDINGS,
        acknowledgement: ACKNOWLEDGEMENT_RULES,
        push: PUSH_RULES,
      }),
    ],
    ['commands.md', renderCommandsPage(COMMAND_DOCS)],
  ]);
}

export interface Drift {
  file: string;
  problem: 'missing' | 'different' | 'not generated';
}

/** What differs between the pages as generated and the files in `dir` (`.md` files only). */
export function compareReference(expected: Map<string, string>, dir: string): Drift[] {
  const drift: Drift[] = [];
  let present: string[] = [];
  try {
    present = readdirSync(dir).filter((name) => name.endsWith('.md'));
  } catch {
    present = [];
  }
  for (const [file, text] of expected) {
    if (!present.includes(file)) drift.push({ file, problem: 'missing' });
    else if (readFileSync(join(dir, file), 'utf8') !== text) drift.push({ file, problem: 'different' });
  }
  for (const file of present) if (!expected.has(file)) drift.push({ file, problem: 'not generated' });
  return drift;
}
